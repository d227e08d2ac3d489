/**
 * A task's worktree: made on a new branch `sy/<agent>/<task>` from the workspace's HEAD
 * the first time, the same one every later time (a follow-up turn continues in it).
 */
import { git, gitText } from './git-runner.js';
import { worktreeFolders } from './list-worktrees.js';
import { withRepoLock } from './repo-lock.js';
import type { TaskRef } from './task-branch.js';
import { recordBase, recordedBases, taskBranch, worktreeFolder } from './task-branch.js';
import type { Workspace } from './validate-workspace.js';

export interface TaskWorktree {
  path: string;
  branch: string;
  base: string;
}

/** The task's worktree, created (or re-attached to a kept branch) when it has none. */
export function ensureTaskWorktree(workspace: Workspace, task: TaskRef): Promise<TaskWorktree> {
  return withRepoLock(workspace.commonDir, () => ensureLocked(workspace, task));
}

async function ensureLocked(workspace: Workspace, task: TaskRef): Promise<TaskWorktree> {
  const cwd = workspace.root;
  const branch = taskBranch(task);
  const [folders, bases] = await Promise.all([worktreeFolders(cwd), recordedBases(cwd)]);
  const existing = folders.get(branch);
  const branchExists = (await git(['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], { cwd, okCodes: [1] })).code === 0;
  if (branchExists) {
    const base = bases.get(branch) ?? (await gitText(['merge-base', 'HEAD', `refs/heads/${branch}`], { cwd }));
    if (existing) return { path: existing, branch, base };
    // A kept branch (cleanup removed its empty folder, or someone did): check it out again.
    const path = worktreeFolder(workspace.commonDir, task);
    await git(['worktree', 'prune'], { cwd });
    await git(['worktree', 'add', path, branch], { cwd });
    return { path, branch, base };
  }
  const base = await gitText(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd });
  const path = worktreeFolder(workspace.commonDir, task);
  // A folder left by a crash between `worktree add` and here would make `add` fail.
  await git(['worktree', 'prune'], { cwd });
  await git(['worktree', 'add', '-b', branch, path, base], { cwd });
  await recordBase(cwd, branch, base);
  return { path, branch, base };
}
