/** Task worktrees against real git repositories: create, list, diff, discard, cleanup. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_PATCH_BYTES,
  cleanupWorktrees,
  diffWorktree,
  discardWorktree,
  ensureTaskWorktree,
  listWorktrees,
  openWorkspace,
} from '../../../src/core/workspaces/index.js';
import { removeIfEmpty } from '../../../src/core/workspaces/remove-worktree.js';
import { tempDirsPerTest } from '../../helpers/temp-dir.js';
import { commitAll, gitIn, makeRepo, statusOf, write } from '../../helpers/git-fixture.js';

describe('workspaces: task worktrees', () => {
  const tempDir = tempDirsPerTest('sy-wt-');

  it('creates sy/<agent>/<task> from HEAD outside the working tree, and reuses it', async () => {
    const root = makeRepo(tempDir());
    const ws = await openWorkspace(root);
    const made = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 't1' });
    expect(made.branch).toBe('sy/coder/t1');
    expect(made.base).toBe(ws.head);
    expect(made.path).toBe(join(root, '.git', 'sy-worktrees', 'coder', 't1'));
    expect(readFileSync(join(made.path, 'a.txt'), 'utf8')).toBe('one\ntwo\nthree\n');
    expect(gitIn(made.path, 'symbolic-ref', '--short', 'HEAD')).toBe('sy/coder/t1');
    // The workspace itself does not see it.
    expect(statusOf(root)).toBe('');
    expect(gitIn(root, 'config', 'branch.sy/coder/t1.sy-base')).toBe(ws.head);

    // The workspace moves on; the task keeps its folder and its base.
    write(root, 'b.txt', 'later\n');
    commitAll(root, 'later');
    const again = await ensureTaskWorktree(await openWorkspace(root), { agent: 'coder', taskId: 't1' });
    expect(again).toEqual(made);
  });

  it('lists worktrees with commits since base and dirtiness, for one agent or all', async () => {
    const root = makeRepo(tempDir());
    const ws = await openWorkspace(root);
    const a = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 't1' });
    const b = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 't2' });
    await ensureTaskWorktree(ws, { agent: 'other', taskId: 't3' });
    write(a.path, 'new.txt', 'x\n');
    commitAll(a.path, 'one');
    write(a.path, 'new.txt', 'y\n');
    commitAll(a.path, 'two');
    write(b.path, 'a.txt', 'changed\n');

    const mine = await listWorktrees(ws, 'coder');
    expect(mine).toEqual([
      { path: a.path, branch: 'sy/coder/t1', agent: 'coder', taskId: 't1', base: ws.head, head: gitIn(a.path, 'rev-parse', 'HEAD'), commits: 2, dirty: false },
      { path: b.path, branch: 'sy/coder/t2', agent: 'coder', taskId: 't2', base: ws.head, head: ws.head, commits: 0, dirty: true },
    ]);
    expect((await listWorktrees(ws)).map((w) => w.branch)).toEqual(['sy/coder/t1', 'sy/coder/t2', 'sy/other/t3']);
  });

  it('diffs a branch against its base with committed, uncommitted and untracked work', async () => {
    const root = makeRepo(tempDir());
    const ws = await openWorkspace(root);
    const wt = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'd1' });
    write(wt.path, 'committed.txt', 'c1\nc2\n');
    commitAll(wt.path, 'committed');
    write(wt.path, 'a.txt', 'one\nTWO\nthree\nfour\n'); // uncommitted edit of a tracked file
    write(wt.path, 'notes/untracked.md', 'u1\nu2\nu3\n'); // untracked
    const before = statusOf(wt.path);

    const [info] = await listWorktrees(ws, 'coder');
    const diff = await diffWorktree(root, info!);
    expect(diff.branch).toBe('sy/coder/d1');
    expect(diff.base).toBe(ws.head);
    expect(diff.truncated).toBe(false);
    expect(diff.files).toEqual([
      { path: 'a.txt', status: 'modified', additions: 2, deletions: 1 },
      { path: 'committed.txt', status: 'added', additions: 2, deletions: 0 },
      { path: 'notes/untracked.md', status: 'added', additions: 3, deletions: 0 },
    ]);
    expect(diff.patch).toContain('+++ b/notes/untracked.md');
    expect(diff.patch).toContain('-two\n+TWO');
    // Diffing took nothing from the worktree: the same files are still uncommitted/untracked.
    expect(statusOf(wt.path)).toBe(before);
  });

  it('reports renames and deletions, and cuts a large patch', async () => {
    const root = makeRepo(tempDir());
    write(root, 'keep.txt', 'k\n'.repeat(20));
    commitAll(root, 'more');
    const ws = await openWorkspace(root);
    const wt = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'r1' });
    gitIn(wt.path, 'mv', 'keep.txt', 'moved.txt');
    gitIn(wt.path, 'rm', '-q', 'a.txt');
    write(wt.path, 'big.txt', `${'a line of a large generated file\n'.repeat(40_000)}`);
    const [info] = await listWorktrees(ws);
    const diff = await diffWorktree(root, info!);
    expect(diff.files).toEqual([
      { path: 'a.txt', status: 'deleted', additions: 0, deletions: 3 },
      { path: 'big.txt', status: 'added', additions: 40_000, deletions: 0 },
      { path: 'moved.txt', status: 'renamed', additions: 0, deletions: 0 },
    ]);
    expect(diff.truncated).toBe(true);
    expect(Buffer.byteLength(diff.patch)).toBeLessThanOrEqual(MAX_PATCH_BYTES);
    expect(diff.patch.endsWith('\n')).toBe(true);
  });

  it('discard removes the worktree folder and deletes the branch, commits and all', async () => {
    const root = makeRepo(tempDir());
    const ws = await openWorkspace(root);
    const wt = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'x1' });
    write(wt.path, 'work.txt', 'w\n');
    commitAll(wt.path, 'work');
    write(wt.path, 'more.txt', 'dirty\n');
    const [info] = await listWorktrees(ws);
    await discardWorktree(ws, info!);
    expect(existsSync(wt.path)).toBe(false);
    expect(gitIn(root, 'branch', '--list', 'sy/*')).toBe('');
    expect(await listWorktrees(ws)).toEqual([]);
    expect(gitIn(root, 'config', '--list', '--local')).not.toContain('sy-base');
  });

  it('cleanup removes empty worktrees and keeps branches with commits or uncommitted work', async () => {
    const root = makeRepo(tempDir());
    const ws = await openWorkspace(root);
    const empty = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'empty' });
    const committed = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'committed' });
    const dirty = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'dirty' });
    const other = await ensureTaskWorktree(ws, { agent: 'other', taskId: 'empty' });
    write(committed.path, 'c.txt', 'c\n');
    commitAll(committed.path, 'c');
    write(dirty.path, 'd.txt', 'untracked\n');

    const result = await cleanupWorktrees(ws, 'coder');
    expect(result).toEqual({ removed: ['sy/coder/empty'], kept: ['sy/coder/committed', 'sy/coder/dirty'] });
    expect(existsSync(empty.path)).toBe(false);
    expect(existsSync(committed.path) && existsSync(dirty.path) && existsSync(other.path)).toBe(true);
    expect(gitIn(root, 'branch', '--list', 'sy/*', '--format=%(refname:short)').split('\n')).toEqual([
      'sy/coder/committed',
      'sy/coder/dirty',
      'sy/other/empty',
    ]);
  });

  it('cleanup keeps work that appeared after the listing (a task still writing)', async () => {
    const root = makeRepo(tempDir());
    const ws = await openWorkspace(root);
    const late = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'late' });
    const listed = await listWorktrees(ws);
    expect(listed[0]).toMatchObject({ commits: 0, dirty: false });
    write(late.path, 'just-written.txt', 'w\n');
    expect(await removeIfEmpty(ws, listed[0]!)).toBe(false);
    expect(readFileSync(join(late.path, 'just-written.txt'), 'utf8')).toBe('w\n');
    commitAll(late.path, 'committed after the listing');
    expect(await removeIfEmpty(ws, listed[0]!)).toBe(false);
    expect(await listWorktrees(ws)).toMatchObject([{ branch: 'sy/coder/late', commits: 1 }]);
  });

  it('lists a kept branch whose folder was removed, and checks it out again for the next turn', async () => {
    const root = makeRepo(tempDir());
    const ws = await openWorkspace(root);
    const wt = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'k1' });
    write(wt.path, 'k.txt', 'k\n');
    const head = commitAll(wt.path, 'k');
    gitIn(root, 'worktree', 'remove', wt.path);
    expect(await listWorktrees(ws)).toEqual([
      { path: '', branch: 'sy/coder/k1', agent: 'coder', taskId: 'k1', base: ws.head, head, commits: 1, dirty: false },
    ]);
    const back = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'k1' });
    expect(back).toEqual({ path: wt.path, branch: 'sy/coder/k1', base: ws.head });
    expect(readFileSync(join(back.path, 'k.txt'), 'utf8')).toBe('k\n');
  });

  it('refuses an agent name git cannot put in a branch', async () => {
    const ws = await openWorkspace(makeRepo(tempDir()));
    await expect(ensureTaskWorktree(ws, { agent: '.hidden', taskId: 't' })).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
