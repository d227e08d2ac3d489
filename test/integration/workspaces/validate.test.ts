/** Validating a workspace folder against real git repositories. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateWorkspace } from '../../../src/core/workspaces/index.js';
import { tempDirsPerTest } from '../../helpers/temp-dir.js';
import { gitIn, makeRepo } from '../../helpers/git-fixture.js';

describe('workspaces: validate', () => {
  const tempDir = tempDirsPerTest('sy-ws-');

  it('gives the top level, branch and HEAD of a repository, from a folder inside it too', async () => {
    const root = makeRepo(tempDir());
    mkdirSync(join(root, 'src', 'deep'), { recursive: true });
    const head = gitIn(root, 'rev-parse', 'HEAD');
    expect(await validateWorkspace(root)).toEqual({ root, branch: 'main', head });
    expect(await validateWorkspace(join(root, 'src', 'deep'))).toEqual({ root, branch: 'main', head });
  });

  it('reports a detached HEAD as branch null', async () => {
    const root = makeRepo(tempDir());
    gitIn(root, 'checkout', '-q', '--detach');
    expect((await validateWorkspace(root)).branch).toBeNull();
  });

  it('refuses a relative path', async () => {
    await expect(validateWorkspace('some/repo')).rejects.toMatchObject({
      name: 'WorkspaceInvalid',
      message: expect.stringContaining('absolute path'),
    });
  });

  it('refuses a folder that does not exist', async () => {
    const missing = join(tempDir(), 'nope');
    await expect(validateWorkspace(missing)).rejects.toMatchObject({
      name: 'WorkspaceInvalid',
      message: expect.stringContaining('does not exist'),
    });
  });

  it('refuses a file', async () => {
    const file = join(tempDir(), 'file.txt');
    writeFileSync(file, 'x');
    await expect(validateWorkspace(file)).rejects.toMatchObject({
      name: 'WorkspaceInvalid',
      message: expect.stringContaining('is a file, not a folder'),
    });
  });

  it('refuses a folder outside any repository and says to run git init', async () => {
    await expect(validateWorkspace(tempDir())).rejects.toMatchObject({
      name: 'WorkspaceInvalid',
      message: expect.stringContaining('run "git init"'),
    });
  });

  it('refuses a repository without a commit: tasks need a base', async () => {
    const dir = tempDir();
    gitIn(dir, 'init', '-q');
    await expect(validateWorkspace(dir)).rejects.toMatchObject({
      name: 'WorkspaceInvalid',
      message: expect.stringContaining('no commit yet'),
    });
  });

  it('refuses the .git folder itself', async () => {
    const root = makeRepo(tempDir());
    await expect(validateWorkspace(join(root, '.git'))).rejects.toMatchObject({ name: 'WorkspaceInvalid' });
  });
});
