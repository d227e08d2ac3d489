/**
 * Checks a folder a coding agent is to work in: it exists, it is a folder, it is inside
 * a git repository with a working tree. Each refusal says what is wrong and what to do.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { WorkspaceInfo } from '../../shared/coding-contract.js';
import { GitFailed, WorkspaceInvalid } from '../../shared/errors.js';
import { git } from './git-runner.js';

/** A validated workspace, with the repository's shared git folder (where task worktrees live). */
export interface Workspace extends WorkspaceInfo {
  /** `git rev-parse --git-common-dir`, absolute: the main repository's `.git`. */
  commonDir: string;
}

/** Validates `path` and returns its repository's top level, branch and HEAD; throws WorkspaceInvalid. */
export async function openWorkspace(path: string): Promise<Workspace> {
  if (!isAbsolute(path)) {
    throw new WorkspaceInvalid(`"${path}" is a relative path: give the workspace as an absolute path`);
  }
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new WorkspaceInvalid(`"${path}" does not exist: choose an existing folder`);
  if (!info.isDirectory()) throw new WorkspaceInvalid(`"${path}" is a file, not a folder: choose the repository's folder`);

  const probe = await git(['rev-parse', '--is-inside-work-tree'], { cwd: path, okCodes: [128] });
  if (probe.code !== 0 || probe.stdout.trim() !== 'true') {
    if (probe.stderr.includes('dubious ownership')) {
      throw new WorkspaceInvalid(
        `git refuses "${path}": it belongs to another user. If you trust it, run "git config --global --add safe.directory ${path}"`,
      );
    }
    const bare = probe.code === 0 && probe.stdout.trim() === 'false';
    throw new WorkspaceInvalid(
      bare
        ? `"${path}" is inside a git folder or a bare repository, not a working tree: choose the repository's checkout`
        : `"${path}" is not inside a git repository: run "git init" there (and make a first commit), or choose a repository`,
    );
  }
  const [root, commonDir] = (
    await git(['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-common-dir'], { cwd: path })
  ).stdout
    .trim()
    .split('\n');
  const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: path, okCodes: [1] });
  if (head.code !== 0) {
    throw new WorkspaceInvalid(`the repository at "${root}" has no commit yet: make a first commit (git commit) so tasks have a base`);
  }
  const branch = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: path, okCodes: [1] });
  if (!root || !commonDir) throw new GitFailed(`git did not report the top level of "${path}"`);
  return { root, commonDir, branch: branch.code === 0 ? branch.stdout.trim() : null, head: head.stdout.trim() };
}

/** The contract's view of a workspace. */
export async function validateWorkspace(path: string): Promise<WorkspaceInfo> {
  const { root, branch, head } = await openWorkspace(path);
  return { root, branch, head };
}
