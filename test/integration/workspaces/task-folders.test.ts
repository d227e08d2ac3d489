/** gitTaskFolders: where a coding task runs, what it changed, and what is left after it. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitTaskFolders } from '../../../src/core/workspaces/index.js';
import { tempDirsPerTest } from '../../helpers/temp-dir.js';
import { commitAll, gitIn, makeRepo, write } from '../../helpers/git-fixture.js';

describe('workspaces: gitTaskFolders', () => {
  const tempDir = tempDirsPerTest('sy-tf-');

  it('isolation none: the workspace root, HEAD as base, every kind of change counted', async () => {
    const root = makeRepo(tempDir());
    const head = gitIn(root, 'rev-parse', 'HEAD');
    const folder = await gitTaskFolders.prepare({ workspace: join(root), agent: 'coder', taskId: 'n1', isolation: 'none' });
    expect(folder).toEqual({ cwd: root, branch: null, worktree: null, base: head });
    write(root, 'committed.txt', 'c\n');
    commitAll(root, 'c');
    write(root, 'a.txt', 'changed\n');
    write(root, 'src/untracked.ts', 'export {};\n');
    expect((await gitTaskFolders.changedFiles(folder)).sort()).toEqual(['a.txt', 'committed.txt', 'src/untracked.ts']);
    await gitTaskFolders.release(folder);
    expect(existsSync(join(root, 'src', 'untracked.ts'))).toBe(true);
  });

  it('isolation worktree: made on the first turn, the same folder on the next, changes relative to it', async () => {
    const root = makeRepo(tempDir());
    const input = { workspace: root, agent: 'coder', taskId: 'w1', isolation: 'worktree' as const };
    const first = await gitTaskFolders.prepare(input);
    expect(first).toMatchObject({ branch: 'sy/coder/w1', base: gitIn(root, 'rev-parse', 'HEAD') });
    expect(first.cwd).toBe(first.worktree);
    expect(await gitTaskFolders.changedFiles(first)).toEqual([]);
    write(first.cwd, 'lib/made.txt', 'm\n');
    commitAll(first.cwd, 'made');
    write(first.cwd, 'a.txt', 'uncommitted\n');
    write(first.cwd, 'loose.txt', 'untracked\n');
    expect(await gitTaskFolders.prepare(input)).toEqual(first);
    expect((await gitTaskFolders.changedFiles(first)).sort()).toEqual(['a.txt', 'lib/made.txt', 'loose.txt']);
    // The workspace saw none of it.
    expect(gitIn(root, 'status', '--porcelain')).toBe('');
  });

  it('release removes an empty worktree and its branch, and keeps one with work', async () => {
    const root = makeRepo(tempDir());
    const empty = await gitTaskFolders.prepare({ workspace: root, agent: 'coder', taskId: 'e1', isolation: 'worktree' });
    const busy = await gitTaskFolders.prepare({ workspace: root, agent: 'coder', taskId: 'b1', isolation: 'worktree' });
    write(busy.cwd, 'x.txt', 'x\n');
    await gitTaskFolders.release(empty);
    await gitTaskFolders.release(busy);
    expect(existsSync(empty.cwd)).toBe(false);
    expect(existsSync(join(busy.cwd, 'x.txt'))).toBe(true);
    expect(gitIn(root, 'branch', '--list', 'sy/*', '--format=%(refname:short)')).toBe('sy/coder/b1');
    // Releasing twice is harmless.
    await gitTaskFolders.release(empty);
  });

  it('prepares several tasks of one agent at once, each on its own branch and base', async () => {
    const root = makeRepo(tempDir());
    const ids = ['p1', 'p2', 'p3', 'p4'];
    const folders = await Promise.all(ids.map((taskId) => gitTaskFolders.prepare({ workspace: root, agent: 'coder', taskId, isolation: 'worktree' })));
    expect(folders.map((f) => f.branch)).toEqual(ids.map((id) => `sy/coder/${id}`));
    const head = gitIn(root, 'rev-parse', 'HEAD');
    for (const id of ids) expect(gitIn(root, 'config', `branch.sy/coder/${id}.sy-base`)).toBe(head);
  });

  it('refuses a folder that is not a repository with WorkspaceInvalid', async () => {
    await expect(
      gitTaskFolders.prepare({ workspace: tempDir(), agent: 'coder', taskId: 't', isolation: 'worktree' }),
    ).rejects.toMatchObject({ name: 'WorkspaceInvalid' });
  });
});
