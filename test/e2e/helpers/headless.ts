/**
 * Starts the built headless host (`out/main/headless.js`) with a temp data folder and
 * returns the URL it prints. The build runs once per test run (see global-build.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from './build.js';

export interface HeadlessHandle {
  url: string;
  /** The page origin, without the token. */
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  /** Stops the host and, unless told to keep it, removes its data folder. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export async function startHeadless(options: { dataDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<HeadlessHandle> {
  ensureBuilt();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sy-e2e-'));
  const child = spawn(process.execPath, ['out/main/headless.js', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`headless host did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`headless host exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    process: child,
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        });
      }
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
