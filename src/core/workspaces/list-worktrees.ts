/**
 * The task branches of a workspace and their worktrees, as the agent's panel lists them.
 *
 * Every `sy/<agent>/<task>` branch is listed, with or without a worktree: cleanup keeps
 * branches that hold commits, and those must stay reviewable (`path` is then "").
 */
import type { WorktreeInfo } from '../../shared/coding-contract.js';
import { git, gitText } from './git-runner.js';
import { parseTaskBranch, recordedBases } from './task-branch.js';
import type { Workspace } from './validate-workspace.js';

/** `git worktree list --porcelain` as branch → folder (folders that no longer exist are left out). */
export async function worktreeFolders(cwd: string): Promise<Map<string, string>> {
  const text = await gitText(['worktree', 'list', '--porcelain'], { cwd });
  const folders = new Map<string, string>();
  for (const block of text.split('\n\n')) {
    const lines = block.split('\n');
    const path = lines.find((l) => l.startsWith('worktree '))?.slice('worktree '.length);
    const branch = lines.find((l) => l.startsWith('branch refs/heads/'))?.slice('branch refs/heads/'.length);
    const gone = lines.some((l) => l.startsWith('prunable'));
    if (path && branch && !gone) folders.set(branch, path);
  }
  return folders;
}

/** The repository's main working tree (the first `git worktree list` names), as seen from any of its worktrees. */
export async function mainWorktree(cwd: string): Promise<string> {
  const text = await gitText(['worktree', 'list', '--porcelain'], { cwd });
  const first = text.split('\n').find((l) => l.startsWith('worktree '));
  return first ? first.slice('worktree '.length) : cwd;
}

/** Uncommitted changes (untracked files included) in a worktree folder. */
export async function isDirty(folder: string): Promise<boolean> {
  const status = await git(['status', '--porcelain', '--untracked-files=normal'], { cwd: folder, maxBytes: 1024 * 1024, truncate: true });
  return status.stdout.trim() !== '';
}

/** Commits on `head` since `base`. */
export async function commitsSince(cwd: string, base: string, head: string): Promise<number> {
  return Number(await gitText(['rev-list', '--count', `${base}..${head}`], { cwd }));
}

/** The base of a task branch: the recorded one, else where it left the workspace's HEAD. */
export async function baseOf(cwd: string, branch: string, recorded: Map<string, string>): Promise<string> {
  const known = recorded.get(branch);
  if (known) return known;
  const fork = await git(['merge-base', 'HEAD', `refs/heads/${branch}`], { cwd, okCodes: [1] });
  return fork.code === 0 ? fork.stdout.trim() : await gitText(['rev-parse', `refs/heads/${branch}`], { cwd });
}

/** Every task worktree of the workspace, or of one agent, ordered by branch. */
export async function listWorktrees(workspace: Workspace, agent?: string): Promise<WorktreeInfo[]> {
  const cwd = workspace.root;
  const refs = await gitText(['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/sy/'], { cwd });
  const [folders, bases] = await Promise.all([worktreeFolders(cwd), recordedBases(cwd)]);
  const rows: WorktreeInfo[] = [];
  for (const line of refs.split('\n')) {
    const [ref, head] = line.split(' ');
    if (!ref || !head) continue;
    const branch = ref.slice('refs/heads/'.length);
    const task = parseTaskBranch(branch);
    if (!task || (agent !== undefined && task.agent !== agent)) continue;
    const base = await baseOf(cwd, branch, bases);
    const path = folders.get(branch) ?? '';
    const [commits, dirty] = await Promise.all([commitsSince(cwd, base, head), path ? isDirty(path) : false]);
    rows.push({ path, branch, agent: task.agent, taskId: task.taskId, base, head, commits, dirty });
  }
  return rows.sort((a, b) => a.branch.localeCompare(b.branch));
}

/** One task worktree by branch, or undefined. */
export async function findWorktree(workspace: Workspace, branch: string): Promise<WorktreeInfo | undefined> {
  const task = parseTaskBranch(branch);
  if (!task) return undefined;
  return (await listWorktrees(workspace, task.agent)).find((w) => w.branch === branch);
}
