/**
 * `npm run bench -- sync`: how fast a fresh core's mirror converges on a 10,000-agent
 * team registry, against merely consuming the same KV watch with nats.ws, in the same
 * run against the same nats-server.
 *
 * sync_ms: from starting the core's remote link (what `config.set` does) to the mirror
 * holding all agents in SQLite.
 * raw_ms: from connect to the last entry of a `kv.watch` of the same keys.
 * Rounds alternate the two and the medians are reported, so the ratio holds on a noisy machine.
 */
import { rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/core/clock.js';
import { openDatabase } from '../src/core/db/database.js';
import { createSqliteRegistry } from '../src/core/registry/sqlite-registry.js';
import { connectWs } from '../src/core/remote/nats-ws.js';
import { startRemoteLink } from '../src/core/remote/remote-link.js';
import type { AgentInfo } from '../src/shared/domain.js';
import { REGISTRY_BUCKET, registryKey, registryRepoFilter } from '../src/shared/nats-subjects.js';
import { startNatsServer } from '../test/helpers/nats-server.js';

const AGENTS = Number(process.env.SY_BENCH_AGENTS ?? 10_000);
const ROUNDS = Number(process.env.SY_BENCH_ROUNDS ?? 5);
const REPO = 'bench';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function agent(i: number): AgentInfo {
  const now = Date.now();
  return {
    name: `agent-${i}`,
    type: i % 10 === 0 ? 'supervisor' : 'worker',
    location: 'remote',
    ownership: i % 10 === 0 ? 'repo' : 'task',
    repo: REPO,
    owner: `user-${i % 50}`,
    endpoint: `sy.${REPO}.inbox.agent-${i}`,
    instanceId: `inst-${i}`,
    registeredAt: now,
    lastHeartbeat: now,
    status: 'active',
    capabilities: ['typescript', 'review'],
    tags: { region: i % 2 ? 'eu' : 'us' },
    load: { current: i % 4, max: 4 },
    metadata: { task: `task ${i}` },
    revision: 0,
  };
}

async function main(): Promise<void> {
  const server = await startNatsServer();
  const dirs: string[] = [];
  try {
    const nc = await connectWs({ servers: [server.wsUrl], token: server.token });
    const kv = await nc.jetstream().views.kv(REGISTRY_BUCKET, { history: 1 });
    const encoder = new TextEncoder();
    for (let start = 0; start < AGENTS; start += 500) {
      const puts: Promise<number>[] = [];
      for (let i = start; i < Math.min(AGENTS, start + 500); i++) {
        puts.push(kv.put(registryKey(REPO, `agent-${i}`), encoder.encode(JSON.stringify(agent(i)))));
      }
      await Promise.all(puts);
    }
    await nc.close();
    console.log(`seeded ${AGENTS} agents`);

    const rawRound = async (): Promise<number> => {
      const started = performance.now();
      const conn = await connectWs({ servers: [server.wsUrl], token: server.token });
      const watchKv = await conn.jetstream().views.kv(REGISTRY_BUCKET, { bindOnly: true });
      const watcher = await watchKv.watch({ key: registryRepoFilter(REPO) });
      let count = 0;
      for await (const entry of watcher) {
        count++;
        if (entry.delta === 0) break;
      }
      const elapsed = performance.now() - started;
      await conn.close();
      if (count !== AGENTS) throw new Error(`raw watch saw ${count} entries`);
      return elapsed;
    };

    const syncRound = async (): Promise<number> => {
      const dir = mkdtempSync(join(tmpdir(), 'sy-bench-'));
      dirs.push(dir);
      // The core's own pieces: its database, registry and remote link (as core.ts composes them).
      const db = openDatabase(join(dir, 'switchyard.db'));
      const registry = createSqliteRegistry(db, { clock: systemClock, sweepEveryMs: false });
      const started = performance.now();
      const link = startRemoteLink({
        url: server.wsUrl,
        repo: REPO,
        token: server.token,
        registry,
        desktopId: 'bench-desktop',
        onState: () => undefined,
      });
      await link.synced();
      const elapsed = performance.now() - started;
      const held = registry.discover({ repo: REPO }).length;
      await link.close();
      registry.close();
      db.close();
      if (held !== AGENTS) throw new Error(`the mirror holds ${held} agents`);
      return elapsed;
    };

    // One warm-up of each: module loading and JIT are not what we measure.
    await rawRound();
    await syncRound();
    const raw: number[] = [];
    const sync: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      raw.push(await rawRound());
      sync.push(await syncRound());
      console.log(`round ${round + 1}: sync ${sync.at(-1)!.toFixed(0)} ms, raw ${raw.at(-1)!.toFixed(0)} ms`);
    }
    const syncMs = Math.round(median(sync));
    const rawMs = Math.round(median(raw));
    console.log(JSON.stringify({ bench: 'sync', agents: AGENTS, sync_ms: syncMs, raw_ms: rawMs, ratio: Number((syncMs / rawMs).toFixed(2)) }));
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await server.dispose();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
