/**
 * `npm run bench -- sync`: how fast a fresh core's mirror converges on a 10,000-agent
 * team registry, against merely consuming the same KV watch with nats.ws, in the same
 * run against the same nats-server.
 *
 * sync_ms: from starting the core's remote link (what `config.set` does) to the mirror
 * holding all agents in SQLite.
 * raw_ms: from connect to the last entry of a `kv.watch` of the same keys.
 * Rounds alternate the two and the medians are reported, so the ratio holds on a noisy machine.
 *
 * It also prints what bounds the ratio on the machine it runs on, so the figure can be
 * read rather than guessed at: how busy the raw watch keeps this process's event loop and
 * how much CPU nats-server spends serving it (from /proc, Linux only), and the floors of
 * the mirror's own work measured alone — parsing and checking the same 10,000 values
 * (translateEntry) and writing them to a fresh SQLite mirror (applyRemoteParsed, in the
 * link's batches).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/core/clock.js';
import { openDatabase } from '../src/core/db/database.js';
import { createSqliteRegistry } from '../src/core/registry/sqlite-registry.js';
import { connectWs } from '../src/core/remote/nats-ws.js';
import { translateEntry } from '../src/core/remote/mirror-translate.js';
import { startRemoteLink } from '../src/core/remote/remote-link.js';
import type { RemoteRecord } from '../src/core/registry/registry-input.js';
import type { AgentInfo } from '../src/shared/domain.js';
import { REGISTRY_BUCKET, registryKey, registryRepoFilter } from '../src/shared/nats-subjects.js';
import { startNatsServer } from '../test/helpers/nats-server.js';

const AGENTS = Number(process.env.SY_BENCH_AGENTS ?? 10_000);
const ROUNDS = Number(process.env.SY_BENCH_ROUNDS ?? 5);
const REPO = 'bench';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The link's batch size (MirrorSync's default), so the SQLite floor writes as the link does. */
const LINK_BATCH = 2_000;

type WatchedEntry = Parameters<typeof translateEntry>[0];

/** CPU time (user + system) a process has used so far, in ms; undefined off Linux. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
  } catch {
    return undefined;
  }
}

let ticks: number | undefined;
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

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

    interface RawRound {
      elapsed: number;
      /** Share of the time from the first entry to the last that the event loop was busy. */
      busy: number;
      serverCpuMs: number | undefined;
    }
    const rawRound = async (keep?: WatchedEntry[]): Promise<RawRound> => {
      const serverCpuBefore = processCpuMs(server.pid());
      const started = performance.now();
      const conn = await connectWs({ servers: [server.wsUrl], token: server.token });
      const watchKv = await conn.jetstream().views.kv(REGISTRY_BUCKET, { bindOnly: true });
      const watcher = await watchKv.watch({ key: registryRepoFilter(REPO) });
      let count = 0;
      let loop: ReturnType<typeof performance.eventLoopUtilization> | undefined;
      for await (const entry of watcher) {
        loop ??= performance.eventLoopUtilization();
        count++;
        keep?.push({ key: entry.key, revision: entry.revision, operation: entry.operation, value: entry.value.slice() });
        if (entry.delta === 0) break;
      }
      const elapsed = performance.now() - started;
      const busy = performance.eventLoopUtilization(loop).utilization;
      const serverCpuAfter = processCpuMs(server.pid());
      await conn.close();
      if (count !== AGENTS) throw new Error(`raw watch saw ${count} entries`);
      const serverCpuMs = serverCpuBefore !== undefined && serverCpuAfter !== undefined ? serverCpuAfter - serverCpuBefore : undefined;
      return { elapsed, busy, serverCpuMs };
    };

    /** The mirror's own work alone, on entries already received: parse and check, then write. */
    const floorRound = (entries: readonly WatchedEntry[]): { parseMs: number; sqliteMs: number } => {
      const parseStarted = performance.now();
      const records: RemoteRecord[] = [];
      for (const entry of entries) {
        const change = translateEntry(entry, REPO, 'bench-desktop');
        if (change.kind === 'upsert') records.push(change.info);
      }
      const parseMs = performance.now() - parseStarted;
      const dir = mkdtempSync(join(tmpdir(), 'sy-bench-'));
      dirs.push(dir);
      const db = openDatabase(join(dir, 'switchyard.db'));
      const registry = createSqliteRegistry(db, { clock: systemClock, sweepEveryMs: false });
      const writeStarted = performance.now();
      for (let start = 0; start < records.length; start += LINK_BATCH) {
        const batch = records.slice(start, start + LINK_BATCH);
        registry.applyRemoteParsed(batch, batch.at(-1)!.revision);
      }
      const sqliteMs = performance.now() - writeStarted;
      const held = registry.discover({ repo: REPO }).length;
      registry.close();
      db.close();
      if (held !== AGENTS) throw new Error(`the floor mirror holds ${held} agents`);
      return { parseMs, sqliteMs };
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

    // One warm-up of each: module loading and JIT are not what we measure. The warm-up
    // watch keeps its entries for the floor rounds.
    const entries: WatchedEntry[] = [];
    await rawRound(entries);
    await syncRound();
    floorRound(entries);
    const raw: RawRound[] = [];
    const sync: number[] = [];
    const floors: Array<{ parseMs: number; sqliteMs: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      raw.push(await rawRound());
      sync.push(await syncRound());
      floors.push(floorRound(entries));
      console.log(`round ${round + 1}: sync ${sync.at(-1)!.toFixed(0)} ms, raw ${raw.at(-1)!.elapsed.toFixed(0)} ms`);
    }
    const syncMs = Math.round(median(sync));
    const rawMs = Math.round(median(raw.map((r) => r.elapsed)));
    const busy = Number(median(raw.map((r) => r.busy)).toFixed(2));
    const serverCpu = raw.map((r) => r.serverCpuMs).filter((ms): ms is number => ms !== undefined);
    const serverCpuMs = serverCpu.length > 0 ? Math.round(median(serverCpu)) : null;
    const parseMs = Math.round(median(floors.map((f) => f.parseMs)));
    const sqliteMs = Math.round(median(floors.map((f) => f.sqliteMs)));
    console.log(
      `raw watch: this process's event loop busy ${Math.round(busy * 100)}% from first entry to last` +
        (serverCpuMs !== null ? `; nats-server used ${serverCpuMs} ms CPU serving it` : ''),
    );
    console.log(`mirror work alone: parse and check ${AGENTS} values ${parseMs} ms; write them to a fresh SQLite mirror ${sqliteMs} ms`);
    console.log(`ratio 1.5 leaves ${Math.round(rawMs / 2)} ms for that work beside the watch`);
    console.log(
      JSON.stringify({
        bench: 'sync',
        agents: AGENTS,
        sync_ms: syncMs,
        raw_ms: rawMs,
        ratio: Number((syncMs / rawMs).toFixed(2)),
        raw_event_loop_busy: busy,
        raw_server_cpu_ms: serverCpuMs,
        parse_ms: parseMs,
        sqlite_ms: sqliteMs,
      }),
    );
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
