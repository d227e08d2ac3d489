/**
 * The 100,000-agent mirror of `npm run bench -- scale` (bench/scale.ts): seeds the repo
 * straight into the bucket, then times a fresh desktop mirror of it, in the bench's
 * process (the ten desktops' processes have gone by then).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KV, NatsConnection } from 'nats.ws';
import { systemClock } from '../src/core/clock.js';
import { openDatabase } from '../src/core/db/database.js';
import type { AgentRegistry } from '../src/core/registry/index.js';
import { createSqliteRegistry } from '../src/core/registry/sqlite-registry.js';
import type { RemoteLink } from '../src/core/remote/remote-link.js';
import { startRemoteLink } from '../src/core/remote/remote-link.js';
import type { AgentInfo as AgentInfoType } from '../src/shared/domain.js';
import { REGISTRY_BUCKET, registryKey, registryRepoFilter, subjects } from '../src/shared/nats-subjects.js';
import { connectWs } from '../src/core/remote/nats-ws.js';
import type { NatsClusterHandle } from '../test/helpers/nats-cluster.js';

const encoder = new TextEncoder();

interface Desktop {
  link: RemoteLink;
  registry: AgentRegistry;
  close(): Promise<void>;
}

function startDesktop(cluster: NatsClusterHandle, index: number, repo: string, dirs: string[]): Desktop {
  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-scale-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'switchyard.db'));
  const registry = createSqliteRegistry(db, { clock: systemClock, sweepEveryMs: false });
  const primary = cluster.wsUrls[index % cluster.wsUrls.length]!;
  const link = startRemoteLink({
    url: primary,
    servers: cluster.wsUrls.filter((url) => url !== primary),
    repo,
    token: cluster.token,
    registry,
    desktopId: `bench-desktop-${index}`,
    onState: () => undefined,
  });
  return {
    link,
    registry,
    async close() {
      await link.close();
      registry.close();
      db.close();
    },
  };
}


/**
 * The bucket, once the cluster answers for it: right after the node kills the JetStream
 * API can time out while the streams elect leaders (a run failed there), so it is asked
 * again, for at most a minute.
 */
async function bindRegistry(nc: NatsConnection): Promise<KV> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await nc.jetstream().views.kv(REGISTRY_BUCKET, { bindOnly: true });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      console.log(`registry bucket not ready yet (${String(error)}), asking again`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * A bare nats.ws watch of the repo's keys through the mirror's node, from connect to its
 * last initial entry. Asked again, as bindRegistry is, while the cluster still settles.
 */
async function rawWatch(cluster: NatsClusterHandle, repo: string): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const started = performance.now();
    const nc = await connectWs({ servers: [cluster.wsUrls[1 % cluster.wsUrls.length]!], token: cluster.token });
    try {
      const kv = await nc.jetstream().views.kv(REGISTRY_BUCKET, { bindOnly: true });
      const watch = await kv.watch({ key: registryRepoFilter(repo) });
      for await (const entry of watch) if (entry.delta === 0) break;
      return performance.now() - started;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      console.log(`bare watch failed (${String(error)}), asking again`);
    } finally {
      await nc.close();
    }
  }
}

/**
 * Waits until every replica of the bucket's stream holds all of it: right after 100,000
 * puts (and two node restarts) the followers are still catching up, and the mirror timed
 * then would measure the servers' replication backlog, not the mirror.
 */
async function replicasCaughtUp(nc: NatsConnection): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const info = await jsm.streams.info(`KV_${REGISTRY_BUCKET}`).catch(() => undefined);
    const replicas = info?.cluster?.replicas ?? [];
    if (info && replicas.every((replica) => replica.current && (replica.lag ?? 0) === 0)) return;
    if (Date.now() > deadline) {
      console.log('the registry stream\'s replicas did not catch up within a minute; timing the mirror anyway');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Seeds the big repo straight into the bucket, waits for its replicas, then times a fresh mirror of it. */
export async function mirrorBig(cluster: NatsClusterHandle, nc: NatsConnection, dirs: string[], BIG: number, BIG_REPO: string): Promise<number> {
  const kv = await bindRegistry(nc);
  const now = Date.now();
  const record = (i: number): AgentInfoType => ({
    name: `agent-${i}`, type: 'worker', location: 'remote', ownership: 'task', repo: BIG_REPO, owner: 'bench',
    endpoint: subjects.agentInbox(BIG_REPO, `agent-${i}`), instanceId: `inst-${i}`, registeredAt: now, lastHeartbeat: now,
    status: 'active', capabilities: ['typescript'], tags: {}, load: { current: 0, max: 1 },
    // Alive for the bench's length: the bench sends them no heartbeats, and without this the
    // coordinator's sweep marks all 100,000 unreachable ~9 s after seeding — 100,000 more
    // replicated writes that landed in the timed mirror in some runs and not in others.
    metadata: { heartbeatIntervalMs: 3_600_000 }, revision: 0,
  });
  // Batches of 500; a batch that times out (a node just came back, a busy machine) is put again: a put is idempotent.
  for (let start = 0; start < BIG; start += 500) {
    for (let attempt = 0; ; attempt++) {
      const puts: Promise<number>[] = [];
      for (let i = start; i < Math.min(BIG, start + 500); i++) puts.push(kv.put(registryKey(BIG_REPO, `agent-${i}`), encoder.encode(JSON.stringify(record(i)))));
      const failed = (await Promise.allSettled(puts)).some((result) => result.status === 'rejected');
      if (!failed) break;
      if (attempt >= 5) throw new Error(`seeding agents ${start}.. kept failing`);
    }
  }
  console.log(`seeded ${BIG} agents in ${BIG_REPO}`);
  await replicasCaughtUp(nc);
  const rawBefore = await rawWatch(cluster, BIG_REPO);
  const started = performance.now();
  const desktop = startDesktop(cluster, 1, BIG_REPO, dirs);
  await desktop.link.synced();
  const elapsed = performance.now() - started;
  const rawAfter = await rawWatch(cluster, BIG_REPO);
  console.log(`the same ${BIG} entries by a bare kv.watch on the same node: ${rawBefore.toFixed(0)} ms before the mirror, ${rawAfter.toFixed(0)} ms after`);
  // Only BIG agents were ever put in the repo, so BIG found means all of them (the query's limit is 100,000).
  const held = desktop.registry.discover({ repo: BIG_REPO, limit: BIG }).length;
  await desktop.close();
  if (held !== BIG) throw new Error(`the 100k mirror holds ${held} agents`);
  return elapsed;
}

