/**
 * Removing task worktrees: discard (the worktree and its branch, whatever they hold) and
 * cleanup (only what holds nothing: no commit since the base and no uncommitted change).
 *
 * Cleanup may race a task that is still writing, so it lets git check again at the
 * moment of removal: `git worktree remove` without --force refuses a worktree with
 * changes, and the branch is deleted only if it still points at its base.
 */
import { rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WorktreeInfo } from '../../shared/coding-contract.js';
import { git } from './git-runner.js';
import { listWorktrees } from './list-worktrees.js';
import { withRepoLock } from './repo-lock.js';
import type { Workspace } from './validate-workspace.js';

/** Removes the worktree folder (if any) and deletes its branch. */
export function discardWorktree(workspace: Workspace, worktree: WorktreeInfo): Promise<void> {
  return withRepoLock(workspace.commonDir, async () => {
    const cwd = workspace.root;
    if (worktree.path) {
      await git(['worktree', 'remove', '--force', worktree.path], { cwd });
      await dropEmptyAgentFolder(worktree.path);
    }
    await git(['branch', '-D', worktree.branch], { cwd });
  });
}

/** True when the task left nothing behind: no commit since its base, nothing uncommitted. */
export const isEmpty = (worktree: WorktreeInfo): boolean => worktree.commits === 0 && !worktree.dirty;

/** Removes the task worktree and its branch if they hold nothing; true when removed. */
export function removeIfEmpty(workspace: Workspace, worktree: WorktreeInfo): Promise<boolean> {
  if (!isEmpty(worktree)) return Promise.resolve(false);
  return withRepoLock(workspace.commonDir, async () => {
    const cwd = workspace.root;
    if (worktree.path) {
      // Without --force: git refuses if a file changed since the listing.
      const removed = await git(['worktree', 'remove', worktree.path], { cwd, okCodes: [128] });
      if (removed.code !== 0) return false;
      await dropEmptyAgentFolder(worktree.path);
    }
    // Deleted only if it still points where the listing saw it (no commit since).
    const deleted = await git(['update-ref', '-d', `refs/heads/${worktree.branch}`, worktree.head], { cwd, okCodes: [1, 128] });
    if (deleted.code !== 0) return false;
    await git(['config', '--local', '--remove-section', `branch.${worktree.branch}`], { cwd, okCodes: [1, 128] });
    return true;
  });
}

/** Removes every empty task worktree of the workspace (or of one agent); branches with commits or changes stay. */
export async function cleanupWorktrees(workspace: Workspace, agent?: string): Promise<{ removed: string[]; kept: string[] }> {
  const removed: string[] = [];
  const kept: string[] = [];
  for (const worktree of await listWorktrees(workspace, agent)) {
    if (await removeIfEmpty(workspace, worktree)) removed.push(worktree.branch);
    else kept.push(worktree.branch);
  }
  return { removed, kept };
}

/** The agent's folder under sy-worktrees goes too once its last task is gone. */
async function dropEmptyAgentFolder(worktreePath: string): Promise<void> {
  await rmdir(dirname(worktreePath)).catch(() => undefined);
}
