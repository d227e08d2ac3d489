/** Merging task worktrees into the workspace's branch, with real git: success, conflict, refusals. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureTaskWorktree, listWorktrees, mergeWorktree, openWorkspace } from '../../../src/core/workspaces/index.js';
import type { Workspace } from '../../../src/core/workspaces/index.js';
import { tempDirsPerTest } from '../../helpers/temp-dir.js';
import { commitAll, gitIn, makeRepo, statusOf, write } from '../../helpers/git-fixture.js';

async function worktreeOf(ws: Workspace, branch: string) {
  const found = (await listWorktrees(ws)).find((w) => w.branch === branch);
  if (!found) throw new Error(`no ${branch}`);
  return found;
}

describe('workspaces: merge', () => {
  const tempDir = tempDirsPerTest('sy-merge-');

  it('merges committed and uncommitted work into the current branch and leaves the worktree clean', async () => {
    const root = makeRepo(tempDir());
    const ws = await openWorkspace(root);
    const wt = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'm1' });
    write(wt.path, 'feature.txt', 'feature\n');
    commitAll(wt.path, 'feature');
    write(wt.path, 'a.txt', 'one\ntwo\nthree\nfour\n');
    write(wt.path, 'new/untracked.txt', 'fresh\n');

    const outcome = await mergeWorktree(await openWorkspace(root), await worktreeOf(ws, 'sy/coder/m1'));
    expect(outcome).toEqual({ merged: true, conflicts: [], message: 'merged sy/coder/m1 into main' });
    expect(readFileSync(join(root, 'feature.txt'), 'utf8')).toBe('feature\n');
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('one\ntwo\nthree\nfour\n');
    expect(readFileSync(join(root, 'new', 'untracked.txt'), 'utf8')).toBe('fresh\n');
    expect(statusOf(root)).toBe('');
    expect(gitIn(root, 'log', '-1', '--format=%s')).toBe('Merge sy/coder/m1 (task m1 of agent coder)');
    // The branch took the uncommitted work; nothing is left dirty in the worktree.
    expect(statusOf(wt.path)).toBe('');
    const after = await worktreeOf(ws, 'sy/coder/m1');
    expect(after).toMatchObject({ commits: 2, dirty: false });
    expect(gitIn(root, 'merge-base', '--is-ancestor', after.head, 'main')).toBe('');
    // A second merge has nothing new to bring.
    const mainHead = gitIn(root, 'rev-parse', 'HEAD');
    const again = await mergeWorktree(await openWorkspace(root), after);
    expect(again).toEqual({ merged: true, conflicts: [], message: 'sy/coder/m1 was already merged into main' });
    expect(gitIn(root, 'rev-parse', 'HEAD')).toBe(mainHead);
  });

  it("says so when git refuses to start because the workspace's untracked file would be overwritten", async () => {
    const root = makeRepo(tempDir());
    const ws = await openWorkspace(root);
    const wt = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'u1' });
    write(wt.path, 'same.txt', 'from the task\n');
    commitAll(wt.path, 'same');
    write(root, 'same.txt', 'the user\'s own\n');
    const head = gitIn(root, 'rev-parse', 'HEAD');
    const outcome = await mergeWorktree(await openWorkspace(root), await worktreeOf(ws, 'sy/coder/u1'));
    expect(outcome.merged).toBe(false);
    expect(outcome.conflicts).toEqual([]);
    expect(outcome.message).toMatch(/^git refused the merge, nothing was changed: .*untracked working tree files would be overwritten/);
    expect(gitIn(root, 'rev-parse', 'HEAD')).toBe(head);
    expect(readFileSync(join(root, 'same.txt'), 'utf8')).toBe("the user's own\n");
  });

  it('on a conflict aborts, lists the files, and leaves the workspace as it was', async () => {
    const root = makeRepo(tempDir());
    const ws = await openWorkspace(root);
    const wt = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'c1' });
    // Both sides edit the same line.
    write(wt.path, 'a.txt', 'one\nTASK\nthree\n');
    commitAll(wt.path, 'task edit');
    write(wt.path, 'b.txt', 'also the task\n');
    commitAll(wt.path, 'task adds b');
    write(root, 'a.txt', 'one\nMAIN\nthree\n');
    const mainHead = commitAll(root, 'main edit');
    write(root, 'local-untracked.txt', 'mine\n');

    const outcome = await mergeWorktree(await openWorkspace(root), await worktreeOf(ws, 'sy/coder/c1'));
    expect(outcome.merged).toBe(false);
    expect(outcome.conflicts).toEqual(['a.txt']);
    expect(outcome.message).toContain('conflicts with main in a.txt');
    // Untouched: same HEAD, same file, no merge in progress, only the user's own untracked file.
    expect(gitIn(root, 'rev-parse', 'HEAD')).toBe(mainHead);
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('one\nMAIN\nthree\n');
    expect(statusOf(root)).toBe('?? local-untracked.txt');
    expect(() => gitIn(root, 'rev-parse', '--verify', '--quiet', 'MERGE_HEAD')).toThrow();
    expect(readFileSync(join(wt.path, 'a.txt'), 'utf8')).toBe('one\nTASK\nthree\n');
  });

  it('leaves uncommitted task work uncommitted when the merge conflicts', async () => {
    const root = makeRepo(tempDir());
    const ws = await openWorkspace(root);
    const wt = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'c2' });
    write(wt.path, 'a.txt', 'one\nTASK\nthree\n');
    write(root, 'a.txt', 'one\nMAIN\nthree\n');
    commitAll(root, 'main edit');
    const before = await worktreeOf(ws, 'sy/coder/c2');
    const outcome = await mergeWorktree(await openWorkspace(root), before);
    expect(outcome).toMatchObject({ merged: false, conflicts: ['a.txt'] });
    expect(await worktreeOf(ws, 'sy/coder/c2')).toEqual(before);
    expect(statusOf(wt.path)).toBe('M a.txt');
  });

  it('refuses a dirty workspace plainly and changes nothing', async () => {
    const root = makeRepo(tempDir());
    const ws = await openWorkspace(root);
    const wt = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'd1' });
    write(wt.path, 'f.txt', 'f\n');
    commitAll(wt.path, 'f');
    write(root, 'a.txt', 'edited by the user\n');
    const head = gitIn(root, 'rev-parse', 'HEAD');
    const outcome = await mergeWorktree(await openWorkspace(root), await worktreeOf(ws, 'sy/coder/d1'));
    expect(outcome).toEqual({
      merged: false,
      conflicts: [],
      message: 'the workspace has uncommitted changes (a.txt): commit or stash them, then merge again',
    });
    expect(gitIn(root, 'rev-parse', 'HEAD')).toBe(head);
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('edited by the user\n');
  });

  it('says there is nothing to merge for an empty task, and refuses a detached workspace', async () => {
    const root = makeRepo(tempDir());
    const ws = await openWorkspace(root);
    await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'e1' });
    const empty = await mergeWorktree(ws, await worktreeOf(ws, 'sy/coder/e1'));
    expect(empty).toMatchObject({ merged: false, message: expect.stringContaining('nothing to merge') });
    gitIn(root, 'checkout', '-q', '--detach');
    const detached = await mergeWorktree(await openWorkspace(root), await worktreeOf(ws, 'sy/coder/e1'));
    expect(detached).toMatchObject({ merged: false, message: expect.stringContaining('detached HEAD') });
  });
});
