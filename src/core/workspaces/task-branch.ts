/**
 * Task branches `sy/<agent>/<task>`: their names, where their worktrees live, and the
 * base commit each was created from.
 *
 * Worktrees live under the repository's own git folder, `<.git>/sy-worktrees/<agent>/<task>`
 * (docs/coding-agents.md says why): never in the working tree, never outside the
 * repository the user chose. The base is kept in the repository's config as
 * `branch.<branch>.sy-base`, so `git branch -D` removes it with the branch.
 */
import { join } from 'node:path';
import { ValidationError } from '../../shared/errors.js';
import { git } from './git-runner.js';

export const BRANCH_PREFIX = 'sy/';
const WORKTREES_FOLDER = 'sy-worktrees';

export interface TaskRef {
  agent: string;
  taskId: string;
}

/** `sy/<agent>/<task>`; refuses an agent name git cannot put in a branch (".x", "a..b", "x.lock"). */
export function taskBranch({ agent, taskId }: TaskRef): string {
  const bad = agent.startsWith('.') || agent.endsWith('.') || agent.endsWith('.lock') || agent.includes('..');
  if (bad) {
    throw new ValidationError('task branch', [
      { path: 'agent', message: `"${agent}" cannot name a git branch (no leading or trailing ".", no "..", no ".lock" ending)` },
    ]);
  }
  return `${BRANCH_PREFIX}${agent}/${taskId}`;
}

/** The agent and task of a task branch, or null for any other branch. */
export function parseTaskBranch(branch: string): TaskRef | null {
  const match = /^sy\/([^/]+)\/([^/]+)$/.exec(branch);
  return match ? { agent: match[1]!, taskId: match[2]! } : null;
}

/** The folder a task's worktree is made in. */
export function worktreeFolder(commonDir: string, { agent, taskId }: TaskRef): string {
  return join(commonDir, WORKTREES_FOLDER, agent, taskId);
}

const baseKey = (branch: string): string => `branch.${branch}.sy-base`;

/** Records the commit a task branch was created from. */
export async function recordBase(cwd: string, branch: string, base: string): Promise<void> {
  await git(['config', '--local', baseKey(branch), base], { cwd });
}

/** Every recorded base of the repository's task branches, by branch. */
export async function recordedBases(cwd: string): Promise<Map<string, string>> {
  const result = await git(['config', '--local', '--get-regexp', '^branch\\.sy/.*\\.sy-base$'], { cwd, okCodes: [1] });
  const bases = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    // Only a full object id counts: the value ends up as an argument of git commands.
    const match = /^branch\.(sy\/.+)\.sy-base ([0-9a-f]{40,64})$/.exec(line.trim());
    if (match) bases.set(match[1]!, match[2]!);
  }
  return bases;
}
