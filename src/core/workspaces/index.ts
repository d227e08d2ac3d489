/**
 * Workspaces: the git repositories coding agents work in, and their task worktrees on
 * `sy/<agent>/<task>` (docs/coding-agents.md, "Workspaces and worktrees").
 */
export { workspaceHandlers } from './workspace-handlers.js';
export type { WorkspaceCallName } from './workspace-handlers.js';
export { gitTaskFolders } from './git-task-folders.js';
export { openWorkspace, validateWorkspace } from './validate-workspace.js';
export type { Workspace } from './validate-workspace.js';
export { listWorktrees } from './list-worktrees.js';
export { ensureTaskWorktree } from './create-worktree.js';
export type { TaskWorktree } from './create-worktree.js';
export { diffWorktree, MAX_PATCH_BYTES } from './diff-worktree.js';
export { mergeWorktree } from './merge-worktree.js';
export { cleanupWorktrees, discardWorktree } from './remove-worktree.js';
export { taskBranch, parseTaskBranch } from './task-branch.js';
