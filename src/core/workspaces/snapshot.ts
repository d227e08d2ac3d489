/**
 * The state of a working folder as a git tree, uncommitted and untracked files included
 * (ignored ones not), without touching the folder, its index or its branch.
 *
 * A scratch index (a copy of the real one, so unchanged files are not hashed again) takes
 * `git add -A`; `git write-tree` turns it into a tree that diffs and merges can use like
 * any commit's.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, gitText } from './git-runner.js';

/** The tree of everything in `folder` that git would track after `git add -A`. */
export async function snapshotTree(folder: string): Promise<string> {
  const scratch = join(tmpdir(), `sy-index-${randomBytes(6).toString('hex')}`);
  const env = { GIT_INDEX_FILE: scratch };
  try {
    const index = await gitText(['rev-parse', '--path-format=absolute', '--git-path', 'index'], { cwd: folder });
    const copied = await copyFile(index, scratch).then(
      () => true,
      () => false,
    );
    if (!copied) await git(['read-tree', 'HEAD'], { cwd: folder, env });
    await git(['add', '-A', '--', '.'], { cwd: folder, env, timeoutMs: 300_000 });
    return await gitText(['write-tree'], { cwd: folder, env });
  } finally {
    await rm(scratch, { force: true });
  }
}

/** A commit of `tree` on top of `parent`, on no branch: what a merge of uncommitted work takes. */
export async function commitTree(folder: string, tree: string, parent: string, message: string): Promise<string> {
  return gitText(['commit-tree', tree, '-p', parent, '-m', message], { cwd: folder });
}
