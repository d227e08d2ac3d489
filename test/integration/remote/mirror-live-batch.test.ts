/**
 * A desktop mirror applies live registry changes in batches: a team's heartbeats reach
 * it as hundreds of changes a second, and a SQLite transaction for each one put the
 * mirror seconds behind (issue 14's hb_to_mirror_p99_ms).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.js';
import { openDatabase } from '../../../src/core/db/database.js';
import { MirrorSync } from '../../../src/core/remote/mirror-sync.js';
import { createSqliteRegistry } from '../../../src/core/registry/sqlite-registry.js';
import { REGISTRY_BUCKET, subjects } from '../../../src/shared/nats-subjects.js';
import { eventually } from '../../helpers/eventually.js';
import type { RemoteEnv } from './remote-harness.js';
import { REPO, TOKENS, remoteEnv } from './remote-harness.js';

const AGENTS = 20;
const CHANGES = 600;
/**
 * The writer thread: the coordinator's credential, one put after another, awaiting each.
 * Plain JavaScript, as an eval'd worker runs it.
 */
const WRITER = `
const { workerData, parentPort } = require('node:worker_threads');
globalThis.WebSocket = require('ws').WebSocket;
(async () => {
  const { connect } = await import('nats.ws');
  const { url, changes, agents, repo, endpoints, done } = workerData;
  try {
    const nc = await connect({ servers: [url], user: 'sy-coordinator', pass: 'coord-secret-1' });
    const kv = await nc.jetstream().views.kv('${REGISTRY_BUCKET}', { bindOnly: true });
    let last = 0;
    for (let i = 0; i < changes; i++) {
      const index = i % agents;
      const name = 'bob.worker-' + index;
      const now = Date.now();
      const record = { name, type: 'worker', location: 'remote', ownership: 'task', repo, owner: 'bob',
        endpoint: endpoints[index], instanceId: 'i-' + index, registeredAt: now, lastHeartbeat: now,
        status: 'active', capabilities: [], tags: {}, load: { current: i, max: 1000 }, metadata: {}, revision: 0 };
      last = await kv.put(repo + '.' + name, new TextEncoder().encode(JSON.stringify(record)));
    }
    await nc.close();
    parentPort.postMessage({ last });
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
})();
`;

let env: RemoteEnv;
beforeEach(async () => {
  env = await remoteEnv();
});
afterEach(async () => {
  await env.dispose();
});

describe('a desktop mirror under live changes', () => {
  it('applies a burst in a few transactions and ends with each agent in its latest state', async () => {
    await env.startCoordinator();
    const admin = await env.connect(TOKENS.admin);
    const db = openDatabase(join(env.dir, 'mirror.db'));
    const registry = createSqliteRegistry(db, { clock: systemClock });
    let transactions = 0;
    const apply = registry.applyRemoteParsed.bind(registry);
    registry.applyRemoteParsed = (records, revision) => {
      transactions++;
      return apply(records, revision);
    };
    const mirror = new MirrorSync({ repo: REPO, desktopId: 'alice-desktop', registry });
    await (await mirror.start(admin)).caughtUp;
    transactions = 0;

    // A busy desktop: while this thread is blocked, a writer on its own thread puts the
    // changes one at a time, so each reaches the watch with nothing pending behind it
    // (delta 0), as a team's heartbeats do, and they arrive together once the thread is free.
    const endpoints = Array.from({ length: AGENTS }, (_, index) => subjects.agentInbox(REPO, `bob.worker-${index}`));
    const done = new Int32Array(new SharedArrayBuffer(8));
    const writer = new Worker(WRITER, { eval: true, workerData: { url: env.server.wsUrl, changes: CHANGES, agents: AGENTS, repo: REPO, endpoints, done } });
    const finished = new Promise<number>((resolve, reject) => {
      writer.once('message', (message: { last?: number; error?: string }) => (message.error ? reject(new Error(message.error)) : resolve(message.last!)));
      writer.once('error', reject);
    });
    // Blocks until the writer has put every change (bounded, so a broken writer fails the test).
    Atomics.wait(done, 0, 0, 20_000);
    const last = await finished;
    await writer.terminate();
    await eventually(() => registry.remoteRevision() === last, 10_000, 'the mirror to reach the last change');

    for (let index = 0; index < AGENTS; index++) {
      expect(registry.get({ repo: REPO, name: `bob.worker-${index}` })?.load.current).toBe(CHANGES - AGENTS + index);
    }
    expect(transactions).toBeLessThan(CHANGES / 10);
    mirror.stop();
    registry.close();
    db.close();
  });
});
