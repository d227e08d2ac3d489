/**
 * TaskFolders on git: the coding runtime's view of where a task runs (src/core/coding/task-folders.ts).
 *
 * `none`: the workspace itself, with its HEAD at the task's start as the base.
 * `worktree`: the task's own worktree on `sy/<agent>/<task>`, made on the first turn and
 * reused on every later one; released (removed) after the task when it holds nothing.
 */
import { existsSync } from 'node:fs';
import type { TaskFolder, TaskFolders } from '../coding/task-folders.js';
import { git } from './git-runner.js';
import { ensureTaskWorktree } from './create-worktree.js';
import { findWorktree, mainWorktree } from './list-worktrees.js';
import { removeIfEmpty } from './remove-worktree.js';
import { snapshotTree } from './snapshot.js';
import { openWorkspace } from './validate-workspace.js';

export const gitTaskFolders: TaskFolders = {
  async prepare({ workspace, agent, taskId, isolation }) {
    const opened = await openWorkspace(workspace);
    if (isolation === 'none') return { cwd: opened.root, branch: null, worktree: null, base: opened.head };
    const made = await ensureTaskWorktree(opened, { agent, taskId });
    return { cwd: made.path, branch: made.branch, worktree: made.path, base: made.base };
  },

  async changedFiles(folder: TaskFolder) {
    const tree = await snapshotTree(folder.cwd);
    const names = await git(['diff', '--name-only', '--no-renames', '-z', folder.base, tree], { cwd: folder.cwd });
    return names.stdout.split('\0').filter((name) => name !== '');
  },

  async release(folder: TaskFolder) {
    if (folder.worktree === null || folder.branch === null || !existsSync(folder.worktree)) return;
    // Not from inside the worktree: git will not remove the folder it runs in.
    const opened = await openWorkspace(await mainWorktree(folder.worktree));
    const worktree = await findWorktree(opened, folder.branch);
    if (worktree) await removeIfEmpty(opened, worktree);
  },
};
