/**
 * The demo topology: a nats-server on free ports, the coordinator with the demo team,
 * and a desktop data folder configured for hybrid mode. Used by `npm run demo` and by
 * the end-to-end tests, so what the tests check is what a user sees.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore } from '../../src/core/core.js';
import type { NatsServerHandle } from '../../test/helpers/nats-server.js';
import { startNatsServer } from '../../test/helpers/nats-server.js';

export const DEMO_REPO = 'demo';
const ROOT = resolve(import.meta.dirname, '../..');

export interface DemoTopology {
  nats: NatsServerHandle;
  /** The desktop's data folder, configured for hybrid mode. */
  dataDir: string;
  /** The developer's API token (also the NATS token in this demo). */
  token: string;
  coordinator(): ChildProcess | undefined;
  startCoordinator(): Promise<void>;
  stopCoordinator(): Promise<void>;
  dispose(): Promise<void>;
}

/** Starts NATS and the coordinator, and writes a hybrid config into a fresh data folder. */
export async function startDemoTopology(options: { log?: (line: string) => void } = {}): Promise<DemoTopology> {
  const log = options.log ?? (() => {});
  const work = mkdtempSync(join(tmpdir(), 'sy-demo-'));
  const token = `demo-${randomBytes(12).toString('hex')}`;
  const nats = await startNatsServer({ token });
  log(`nats-server on ${nats.wsUrl}`);

  writeFileSync(
    join(work, 'tokens.json'),
    JSON.stringify({ [token]: { user: 'ada', role: 'admin', repos: [DEMO_REPO] } }),
    { mode: 0o600 },
  );
  writeFileSync(
    join(work, 'coordinator.json'),
    JSON.stringify({
      nats: { servers: [nats.wsUrl] },
      tokensFile: './tokens.json',
      repos: [DEMO_REPO],
      // The demo server keeps at most 256 MB on disk (test/helpers/nats-server.ts).
      stream: { maxBytes: 128 * 1024 * 1024 },
      // Two long-lived task-workers take the subtasks the supervisor plans (docs/remote-agents.md, "The demo team").
      team: {
        manifestDir: join(ROOT, 'resources', 'team'),
        dataDir: join(work, 'team'),
        agents: ['supervisor', 'merge-queue', 'review', 'task-worker'],
        replicas: { 'task-worker': 2 },
      },
    }),
  );

  let coordinator: ChildProcess | undefined;
  const startCoordinator = async (): Promise<void> => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'src/server/main.ts'), '--config', join(work, 'coordinator.json')], {
      env: { ...process.env, SY_NATS_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    coordinator = child;
    await new Promise<void>((resolvePromise, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`the coordinator did not start:\n${output}`)), 30_000);
      const read = (chunk: Buffer): void => {
        output += chunk.toString();
        if (/team agent started|coordinator (is )?(ready|started|running)/i.test(output)) {
          clearTimeout(timer);
          resolvePromise();
        }
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the coordinator exited with ${code}:\n${output}`));
      });
    });
    log(`coordinator running (pid ${child.pid}) with the demo team`);
  };

  const stopCoordinator = async (): Promise<void> => {
    const child = coordinator;
    coordinator = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolvePromise) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 8_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolvePromise();
      });
      child.kill('SIGTERM');
    });
  };

  await startCoordinator();

  const dataDir = join(work, 'desktop');
  const core = await createCore({ dataDir, env: {}, agents: { gateway: false } });
  const saved = await core.call('config.set', {
    config: {
      enabled: true,
      coordinationUrl: nats.wsUrl,
      repo: DEMO_REPO,
      localAgentTypes: ['workspace'],
      remoteAgentTypes: ['supervisor', 'merge-queue', 'review', 'worker'],
      fallbackToLocal: true,
    },
    apiToken: token,
  });
  await core.close();
  if (!saved.ok) throw new Error(`could not write the demo config: ${saved.error.message}`);

  return {
    nats,
    dataDir,
    token,
    coordinator: () => coordinator,
    startCoordinator,
    stopCoordinator,
    async dispose() {
      await stopCoordinator();
      await nats.dispose();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
