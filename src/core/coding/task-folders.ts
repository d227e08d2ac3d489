/**
 * Where a coding task runs, as the runtime sees it: the workspace itself, or a worktree of
 * its own on `sy/<agent>/<task>`. The git side is src/core/workspaces (gitTaskFolders);
 * the runtime knows only this interface.
 */
import type { Isolation } from '../../shared/coding.js';

export interface TaskFolder {
  /** The folder the engine runs in. */
  cwd: string;
  /** The task's branch with `worktree` isolation; null in the workspace itself. */
  branch: string | null;
  /** The worktree folder, or null. */
  worktree: string | null;
  /** The commit the task started from: changed files are counted against it. */
  base: string;
}

export interface TaskFolders {
  /** The task's folder: made on its first turn, the same one on every later turn. Throws WorkspaceInvalid. */
  prepare(input: { workspace: string; agent: string; taskId: string; isolation: Isolation }): Promise<TaskFolder>;
  /** Files changed in the folder since `base`, committed or not, relative to the folder. */
  changedFiles(folder: TaskFolder): Promise<string[]>;
  /** After a task ends: removes its worktree when it holds no change (branches with commits stay). */
  release(folder: TaskFolder): Promise<void>;
}
