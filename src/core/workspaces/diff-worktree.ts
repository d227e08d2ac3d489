/**
 * A task branch against its base, with the uncommitted and untracked work of its
 * worktree: the changed files with line counts, and a unified patch cut at a readable size.
 */
import type { ChangedFile, WorktreeDiff, WorktreeInfo } from '../../shared/coding-contract.js';
import { git } from './git-runner.js';
import { snapshotTree } from './snapshot.js';

/** Patches past this are cut (at a line end) and marked `truncated`. */
export const MAX_PATCH_BYTES = 512 * 1024;

const STATUS: Record<string, ChangedFile['status']> = { A: 'added', C: 'added', M: 'modified', T: 'modified', D: 'deleted', R: 'renamed' };

/** What the task's work is now: its worktree's snapshot, or the branch when it has no worktree. */
export async function workTree(worktree: WorktreeInfo): Promise<string> {
  return worktree.path ? snapshotTree(worktree.path) : `${worktree.head}^{tree}`;
}

/** Files changed between two trees or commits, with their status and line counts. */
export async function changedFilesBetween(cwd: string, from: string, to: string): Promise<ChangedFile[]> {
  const [names, counts] = await Promise.all([
    git(['diff', '--name-status', '-M', '-z', from, to], { cwd }),
    git(['diff', '--numstat', '-M', '-z', '--no-textconv', from, to], { cwd }),
  ]);
  const lines = new Map<string, { additions: number; deletions: number }>();
  const numstat = counts.stdout.split('\0');
  for (let i = 0; i < numstat.length; i++) {
    const [added, deleted, path] = (numstat[i] ?? '').split('\t');
    if (added === undefined || deleted === undefined || path === undefined) continue;
    // A rename has an empty path here, then the old and the new path as fields of their own.
    const file = path === '' ? numstat[(i += 2)] : path;
    if (file !== undefined) lines.set(file, { additions: Number(added) || 0, deletions: Number(deleted) || 0 });
  }
  const files: ChangedFile[] = [];
  const fields = names.stdout.split('\0');
  for (let i = 0; i < fields.length - 1; ) {
    const code = fields[i++]!.charAt(0);
    // Renames and copies name the old path, then the new one.
    if (code === 'R' || code === 'C') i++;
    const path = fields[i++]!;
    const status = STATUS[code] ?? 'modified';
    files.push({ path, status, ...(lines.get(path) ?? { additions: 0, deletions: 0 }) });
  }
  return files;
}

/** The diff of a task worktree against its base. */
export async function diffWorktree(cwd: string, worktree: WorktreeInfo): Promise<WorktreeDiff> {
  const tree = await workTree(worktree);
  const [files, patch] = await Promise.all([
    changedFilesBetween(cwd, worktree.base, tree),
    // The real bytes, not what a configured textconv or external diff would show.
    git(['diff', '-M', '--no-color', '--no-ext-diff', '--no-textconv', worktree.base, tree], { cwd, maxBytes: MAX_PATCH_BYTES, truncate: true }),
  ]);
  const text = patch.truncated ? patch.stdout.slice(0, patch.stdout.lastIndexOf('\n') + 1) : patch.stdout;
  return { branch: worktree.branch, base: worktree.base, files, patch: text, truncated: patch.truncated };
}
