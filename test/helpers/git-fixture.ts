/** Real git repositories in temp folders, for tests and benchmarks that need a workspace. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Runs git in `cwd` and returns its trimmed stdout (throws on failure). */
export function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Writes a file (making its folders) under `root`. */
export function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** A repository on `main` with one commit of `a.txt` (three lines); returns its real path. */
export function makeRepo(dir: string): string {
  const root = realpathSync(dir);
  gitIn(root, 'init', '-q', '-b', 'main');
  gitIn(root, 'config', 'user.name', 'Test User');
  gitIn(root, 'config', 'user.email', 'test@example.com');
  gitIn(root, 'config', 'commit.gpgsign', 'false');
  write(root, 'a.txt', 'one\ntwo\nthree\n');
  gitIn(root, 'add', '-A');
  gitIn(root, 'commit', '-q', '-m', 'first');
  return root;
}

/** Commits everything in `cwd` with `message`; returns the new HEAD. */
export function commitAll(cwd: string, message: string): string {
  gitIn(cwd, 'add', '-A');
  gitIn(cwd, 'commit', '-q', '-m', message);
  return gitIn(cwd, 'rev-parse', 'HEAD');
}

/** `git status --porcelain` of `cwd` (empty when clean). */
export const statusOf = (cwd: string): string => gitIn(cwd, 'status', '--porcelain');
