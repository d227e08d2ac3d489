/**
 * The CLI as a user runs it: a child process of the built CLI (out/main/cli.js, built
 * with the headless host by ensureBuilt), its exit code, stdout and stderr; and a
 * long-running one (`--watch`, `--follow`) read line by line and ended with Ctrl-C.
 */
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { ensureBuilt } from '../../e2e/helpers/build.js';

export const CLI = 'out/main/cli.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `switchyard <args>` to its end. */
export function cli(args: string[], env: NodeJS.ProcessEnv, options: { cwd?: string } = {}): Promise<CliRun> {
  ensureBuilt();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { env, cwd: options.cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

export interface CliStream {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the first line (already printed or to come) that matches. */
  line(matches: (line: string) => boolean, what: string): Promise<string>;
  /** Ctrl-C, then the exit code. */
  interrupt(): Promise<number | null>;
}

/** Starts `switchyard <args>` and keeps it running. */
export function cliStream(args: string[], env: NodeJS.ProcessEnv): CliStream {
  ensureBuilt();
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let rest = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => waiters.forEach((wake) => wake()));
  return {
    child,
    lines,
    line(matches, what) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = lines.find(matches);
          if (found !== undefined) {
            waiters.delete(check);
            resolve(found);
          } else if (child.exitCode !== null) {
            waiters.delete(check);
            reject(new Error(`switchyard ${args.join(' ')} exited (${child.exitCode}) before ${what}:\n${lines.join('\n')}\n${stderr}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    interrupt() {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGINT');
      return exited;
    },
  };
}
