/**
 * Runs one `git` command: execFile (never a shell, so no path or branch name is ever
 * interpreted), a bounded output and a time limit, and typed errors.
 *
 * The environment is the app's minus every GIT_* variable: a Switchyard started from
 * a git hook or a shell with GIT_DIR set must still work on the folder it was given.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { GitFailed } from '../../shared/errors.js';

/** Output past this is an error unless the caller allows truncation. */
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 60_000;

export interface GitOptions {
  cwd: string;
  /** Exit codes that are answers, not failures (e.g. 1 of `git merge` on a conflict). */
  okCodes?: number[];
  /** Cap on stdout; with `truncate` the first bytes are returned instead of an error. */
  maxBytes?: number;
  truncate?: boolean;
  /** Added to the cleaned environment (e.g. GIT_INDEX_FILE for a scratch index). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
}

/** The environment git runs with: the app's without GIT_*, never prompting, messages in English. */
function gitEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('GIT_')) env[key] = value;
  }
  // Messages are matched in a few places (conflict detection reads files, not text, but
  // errors are shown to the user): keep them in one language.
  return { ...env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', ...extra };
}

/** Runs `git <args>` in `cwd`; rejects with GitFailed on a non-OK exit, a timeout or too much output. */
export function git(args: string[], options: GitOptions): Promise<GitResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        env: gitEnvironment(options.env),
        maxBuffer: maxBytes,
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        encoding: 'utf8',
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout, stderr, truncated: false });
        const failure = error as NodeJS.ErrnoException & { code?: string | number; killed?: boolean };
        if (failure.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER' && options.truncate) {
          return resolve({ code: 0, stdout, stderr, truncated: true });
        }
        if (failure.code === 'ENOENT' && !existsSync(options.cwd)) {
          return reject(new GitFailed(`the folder "${options.cwd}" does not exist (any more)`, { cause: error }));
        }
        if (failure.code === 'ENOENT') {
          return reject(new GitFailed('git is not installed or not on PATH: install git and restart Switchyard', { cause: error }));
        }
        if (typeof failure.code === 'number' && options.okCodes?.includes(failure.code)) {
          return resolve({ code: failure.code, stdout, stderr, truncated: false });
        }
        reject(new GitFailed(describe(args, failure, stderr), { cause: error }));
      },
    );
  });
}

/** Trimmed stdout of a command that must succeed. */
export async function gitText(args: string[], options: GitOptions): Promise<string> {
  return (await git(args, options)).stdout.trim();
}

function describe(args: string[], error: NodeJS.ErrnoException & { killed?: boolean }, stderr: string): string {
  const command = `git ${args.slice(0, 3).join(' ')}`;
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return `${command}: its output was too large`;
  if (error.killed) return `${command}: timed out`;
  const reason = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 600);
  return `${command} failed: ${reason || error.message}`;
}
