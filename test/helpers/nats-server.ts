/**
 * Starts a real nats-server (Debian's package) for one test: free ports, token auth or
 * NATS users with the permissions docs/nats.md documents (built by the same module,
 * src/server/nats-permissions.ts), JetStream in a temp folder, a WebSocket listener.
 * Stopped by PID, never by name.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsUser } from '../../src/server/nats-permissions.js';
import { authorizationBlock } from '../../src/server/nats-permissions.js';
import { freePort } from './free-port.js';

export interface NatsServerHandle {
  /** ws://127.0.0.1:<wsPort> — what desktops and coordinators connect to. */
  wsUrl: string;
  /** nats://127.0.0.1:<port> */
  natsUrl: string;
  token: string;
  pid(): number | undefined;
  /** Stops the server (SIGTERM, then SIGKILL after a bound). */
  stop(): Promise<void>;
  /** Starts it again on the same ports with the same JetStream store. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
  /** Everything the server has written to stderr (permission violations are logged here). */
  log(): string;
}

export interface NatsServerOptions {
  token?: string;
  /** NATS users with the documented permissions of their role, instead of the token. */
  users?: NatsUser[];
  /** Which try this is: a start that lost its port to another process is tried again on new ones, up to 3. */
  attempt?: number;
}

export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'sy-nats-'));
  const port = await freePort();
  const wsPort = await freePort();
  const token = options.token ?? randomBytes(16).toString('hex');
  const conf = join(dir, 'nats.conf');
  writeFileSync(
    conf,
    [
      `listen: "127.0.0.1:${port}"`,
      options.users ? authorizationBlock(options.users) : `authorization { token: "${token}" }`,
      `jetstream { store_dir: "${join(dir, 'js')}", max_memory_store: 64MB, max_file_store: 256MB }`,
      `websocket { host: "127.0.0.1", port: ${wsPort}, no_tls: true }`,
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  let serverLog = '';

  const start = async (): Promise<void> => {
    const proc = spawn('nats-server', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    proc.stderr?.on('data', (chunk: Buffer) => {
      if (serverLog.length < 1_000_000) serverLog += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      let log = '';
      const timer = setTimeout(() => reject(new Error(`nats-server did not start:\n${log}`)), 15_000);
      proc.stderr?.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`nats-server could not run (is the Debian package installed?): ${error.message}`));
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited with ${code}:\n${log}`));
      });
    });
    proc.stderr?.resume();
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      proc.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  };

  try {
    await start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    // Another process took a port between freePort() and the server's bind: new ports.
    if ((options.attempt ?? 1) < 3 && /address already in use/.test(String(error))) return startNatsServer({ ...options, attempt: (options.attempt ?? 1) + 1 });
    throw error;
  }
  return {
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    natsUrl: `nats://127.0.0.1:${port}`,
    token,
    pid: () => child?.pid,
    log: () => serverLog,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
