import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NatsServerHandle } from '../../helpers/nats-server.js';
import { startNatsServer } from '../../helpers/nats-server.js';
import type { Node, TestLink } from './router-harness.js';
import { addAgent, connectLink, ensureStream, removeDir, startNode } from './router-harness.js';
import { eventually } from '../../helpers/eventually.js';

const CHILD = new URL('./fixtures/router-child.ts', import.meta.url).pathname;

/**
 * Runs the child router; `onLine` sees each stdout line. Node itself with tsx's loader,
 * not the tsx CLI: the CLI runs node as a grandchild, which a kill -9 of its PID misses.
 */
function runChild(args: string[], onLine: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
    }
  });
  return child;
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

describe('kill -9 of a core mid-send', () => {
  let server: NatsServerHandle;
  const cleanups: Array<() => Promise<void> | void> = [];
  beforeEach(async () => {
    server = await startNatsServer();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await server.dispose();
  });

  it('delivers every message committed to the outbox after a restart, once each, in order', async () => {
    const link: TestLink = await connectLink(server.wsUrl, server.token);
    cleanups.push(() => link.close());
    await ensureStream(link.connection()!);
    const team: Node = startNode({ transport: link, hostLocation: 'remote' });
    cleanups.push(async () => {
      await team.close();
      removeDir(team.dir);
    });
    addAgent(team, 'worker-1', 'remote');

    const dir = mkdtempSync(join(tmpdir(), 'sy-crash-'));
    cleanups.push(() => removeDir(dir));
    const committed: Array<{ n: number; id: string; status: string }> = [];
    let stopped = false;
    let queuedEnough!: () => void;
    const enoughQueued = new Promise<void>((resolve) => (queuedEnough = resolve));
    const sender = runChild(['send', dir, server.wsUrl, server.token], (line) => {
      const match = /^committed (\d+) (\S+) (\S+)$/.exec(line);
      if (match) committed.push({ n: Number(match[1]), id: match[2]!, status: match[3]! });
      if (committed.length >= 100 && !stopped) {
        stopped = true;
        void server.stop();
      }
      if (committed.filter((c) => c.status === 'queued').length >= 200) queuedEnough();
    });
    cleanups.push(() => {
      if (sender.exitCode === null && sender.signalCode === null) sender.kill('SIGKILL');
    });
    // Wait for enough messages queued while the server is away, then kill -9.
    await Promise.race([enoughQueued, exited(sender).then(() => Promise.reject(new Error(`the sender exited after ${committed.length} committed`)))]);
    process.kill(sender.pid!, 'SIGKILL');
    await exited(sender);
    const queued = committed.filter((c) => c.status === 'queued').length;
    expect(queued).toBeGreaterThanOrEqual(200);

    await server.start();
    // The flusher drains the outbox, then sends one last message behind everything it published.
    let flushedLine = '';
    const flusher = runChild(['flush', dir, server.wsUrl, server.token], (line) => {
      if (line.startsWith('flushed ')) flushedLine = line;
    });
    cleanups.push(() => {
      if (flusher.exitCode === null && flusher.signalCode === null) flusher.kill('SIGKILL');
    });
    const last = committed[committed.length - 1]!.n;
    // Order is kept per agent, so once the end marker is here everything published before it is too.
    await eventually(() => team.delivery.of('worker-1').some((m) => m.body === 'end'), 60_000, 'the end marker');
    expect(flushedLine).toBe('flushed 0');
    expect(team.delivery.of('worker-1').at(-1)?.body).toBe('end');

    const got = team.delivery.of('worker-1').slice(0, -1);
    const ids = got.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    const numbers = got.map((m) => m.body as number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    const delivered = new Set(ids);
    expect(committed.filter((c) => !delivered.has(c.id))).toEqual([]);
    // At most the one send in flight at the kill may arrive beyond what was reported.
    expect(numbers.filter((n) => n > last).length).toBeLessThanOrEqual(1);
  }, 120_000);
});
