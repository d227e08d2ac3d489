/**
 * INTERIM until gitTaskFolders (src/core/workspaces) is on main: tasks run in the
 * workspace itself (`isolation: none`); changed files are what `git status` lists.
 * main.ts switches to gitTaskFolders when it lands, and this file goes.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TaskFolders } from './task-folders.js';

const run = promisify(execFile);

export const interimTaskFolders: TaskFolders = {
  async prepare({ workspace, isolation }) {
    if (isolation !== 'none') throw Object.assign(new Error('worktree isolation needs the workspaces module; use isolation "none"'), { name: 'WorkspaceInvalid' });
    const head = await run('git', ['rev-parse', 'HEAD'], { cwd: workspace }).then((r) => r.stdout.trim(), () => '');
    return { cwd: workspace, branch: null, worktree: null, base: head };
  },
  async changedFiles(folder) {
    const { stdout } = await run('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: folder.cwd });
    return stdout.split('\0').filter((entry) => entry.length > 3).map((entry) => entry.slice(3));
  },
  async release() {},
};
