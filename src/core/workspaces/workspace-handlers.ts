/**
 * The contract calls on workspaces and task worktrees. Each call validates the
 * workspace first (WorkspaceInvalid), then finds the task branch (WorktreeNotFound).
 */
import type { WorktreeInfo } from '../../shared/coding-contract.js';
import { WorktreeNotFound } from '../../shared/errors.js';
import type { Handlers } from '../dispatch.js';
import { diffWorktree } from './diff-worktree.js';
import { findWorktree, listWorktrees } from './list-worktrees.js';
import { mergeWorktree } from './merge-worktree.js';
import { discardWorktree } from './remove-worktree.js';
import type { Workspace } from './validate-workspace.js';
import { openWorkspace, validateWorkspace } from './validate-workspace.js';

export type WorkspaceCallName = 'workspaces.validate' | 'worktrees.list' | 'worktrees.diff' | 'worktrees.merge' | 'worktrees.discard';

/** The workspace and the task worktree a call names. */
async function resolve(ref: { workspace: string; branch: string }): Promise<{ workspace: Workspace; worktree: WorktreeInfo }> {
  const workspace = await openWorkspace(ref.workspace);
  const worktree = await findWorktree(workspace, ref.branch);
  if (!worktree) throw new WorktreeNotFound(`no task branch "${ref.branch}" in the workspace "${workspace.root}"`);
  return { workspace, worktree };
}

export function workspaceHandlers(): Pick<Handlers, WorkspaceCallName> {
  return {
    'workspaces.validate': ({ path }) => validateWorkspace(path),
    'worktrees.list': async ({ workspace, agent }) => listWorktrees(await openWorkspace(workspace), agent),
    'worktrees.diff': async (ref) => {
      const { workspace, worktree } = await resolve(ref);
      return diffWorktree(workspace.root, worktree);
    },
    'worktrees.merge': async (ref) => {
      const { workspace, worktree } = await resolve(ref);
      return mergeWorktree(workspace, worktree);
    },
    'worktrees.discard': async (ref) => {
      const { workspace, worktree } = await resolve(ref);
      await discardWorktree(workspace, worktree);
      return { removed: true };
    },
  };
}
