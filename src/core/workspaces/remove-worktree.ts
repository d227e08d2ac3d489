/**
 * Removing task worktrees: discard (the worktree and its branch, whatever they hold) and
 * cleanup (only what holds nothing: no commit since the base and no uncommitted change).
 */
import { rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WorktreeInfo } from '../../shared/coding-contract.js';
import { git } from './git-runner.js';
import { listWorktrees } from './list-worktrees.js';
import type { Workspace } from './validate-workspace.js';

/** Removes the worktree folder (if any) and deletes its branch. */
export async function discardWorktree(workspace: Workspace, worktree: WorktreeInfo): Promise<void> {
  const cwd = workspace.root;
  if (worktree.path) {
    await git(['worktree', 'remove', '--force', worktree.path], { cwd });
    // The agent's folder under sy-worktrees goes too once its last task is gone.
    await rmdir(dirname(worktree.path)).catch(() => undefined);
  }
  await git(['branch', '-D', worktree.branch], { cwd });
}

/** True when the task left nothing behind: no commit since its base, nothing uncommitted. */
export const isEmpty = (worktree: WorktreeInfo): boolean => worktree.commits === 0 && !worktree.dirty;

/** Removes the task worktree if it is empty; true when it was removed. */
export async function removeIfEmpty(workspace: Workspace, worktree: WorktreeInfo): Promise<boolean> {
  if (!isEmpty(worktree)) return false;
  await discardWorktree(workspace, worktree);
  return true;
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
