/**
 * Workspaces: the git repositories coding agents work in, and their task worktrees.
 * PLACEHOLDER until the workspaces module lands (issue 11, item 2).
 */
import type { Handlers } from '../dispatch.js';

export type WorkspaceCallName = 'workspaces.validate' | 'worktrees.list' | 'worktrees.diff' | 'worktrees.merge' | 'worktrees.discard';

export function workspaceHandlers(): Pick<Handlers, WorkspaceCallName> {
  const missing = (): never => {
    throw new Error('not built yet');
  };
  return {
    'workspaces.validate': missing,
    'worktrees.list': missing,
    'worktrees.diff': missing,
    'worktrees.merge': missing,
    'worktrees.discard': missing,
  };
}
