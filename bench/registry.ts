/**
 * Registry benchmark: 10,000 agents across 20 repos in a temp-file database opened like
 * the app's (openDatabase: WAL, synchronous NORMAL, default autocheckpoint).
 *
 * Measures registration (one register() call each, its own transaction, WAL checkpoints
 * included) and a five-filter discovery (repo, type, status set, capability, region tag),
 * and runs the same discovery as a hand-written prepared SQLite statement in the same
 * process, interleaved call by call, so the ratio holds on a noisy machine.
 *
 * The whole thing runs ROUNDS times, each on a fresh database; every round is printed,
 * and the JSON line reports the median round of each figure (not the best), so one round
 * disturbed by another process neither makes nor breaks the result.
 *
 * Run: npm run bench -- registry [rounds]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentStatus } from '../src/shared/domain.js';
import type { AgentQuery } from '../src/shared/registry-query.js';
import { openDatabase } from '../src/core/db/database.js';
import { createSqliteRegistry } from '../src/core/registry/sqlite-registry.js';

const AGENTS = 10_000;
const REPOS = 20;
const QUERIES = 5_000;
const WARMUP = 500;
const ROUNDS = Math.max(1, Number(process.argv[2] ?? 5) || 5);

const TYPES = ['workspace', 'supervisor', 'merge-queue', 'review', 'worker', 'indexer'];
const STATUSES: AgentStatus[] = ['active', 'active', 'idle', 'idle', 'busy', 'busy', 'unreachable', 'terminated'];
const CAPABILITIES = ['typescript', 'python', 'go', 'rust', 'review', 'tests', 'docs', 'refactor', 'sql', 'ui'];
const REGIONS = ['eu', 'us', 'ap', 'sa'];

/** A small deterministic PRNG so every run measures the same data. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

const median = (values: number[]): number => percentile(values, 50);
const elapsedMs = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
const round3 = (value: number): number => Math.round(value * 1000) / 1000;

interface RoundFigures {
  register_p50_ms: number;
  register_p99_ms: number;
  register_over_1ms: number;
  discover_p50_ms: number;
  discover_p99_ms: number;
  raw_p50_ms: number;
  raw_p99_ms: number;
  mean_rows: number;
}

const queryFor = (i: number): AgentQuery => ({
  repo: `repo-${String(i % REPOS).padStart(2, '0')}`,
  type: TYPES[i % TYPES.length] as string,
  status: ['active', 'idle'],
  capabilities: [CAPABILITIES[i % CAPABILITIES.length] as string],
  region: REGIONS[i % REGIONS.length] as string,
});

function runRound(): RoundFigures {
  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-registry-'));
  const db = openDatabase(join(dir, 'bench.db'));
  let now = 1_700_000_000_000;
  const registry = createSqliteRegistry(db, { clock: { now: () => now }, sweepEveryMs: false });
  try {
    const random = prng(42);
    const register: number[] = [];
    for (let i = 0; i < AGENTS; i++) {
      const capabilities = new Set<string>();
      while (capabilities.size < 3) capabilities.add(pick(random, CAPABILITIES));
      const max = 1 + Math.floor(random() * 8);
      const input = {
        name: `agent-${i}`,
        type: pick(random, TYPES),
        location: random() < 0.5 ? ('local' as const) : ('remote' as const),
        repo: `repo-${String(i % REPOS).padStart(2, '0')}`,
        owner: `user-${i % 50}`,
        endpoint: `ws://127.0.0.1:7000/agent-${i}`,
        instanceId: `instance-${i}`,
        capabilities: [...capabilities],
        tags: { region: pick(random, REGIONS), tier: random() < 0.3 ? 'gpu' : 'cpu' },
        load: { current: Math.floor(random() * (max + 1)), max },
        status: pick(random, STATUSES),
      };
      now += 1;
      const start = process.hrtime.bigint();
      registry.register(input);
      register.push(elapsedMs(start));
    }

    // What a developer would write by hand against the same tables.
    const raw = db.prepare(
      `SELECT a.* FROM agents a
       WHERE a.repo = ? AND a.type = ? AND a.status IN (?, ?)
         AND EXISTS (SELECT 1 FROM agent_attributes c
                     WHERE c.agent_id = a.id AND c.kind = 'capability' AND c.name = ?)
         AND EXISTS (SELECT 1 FROM agent_attributes t
                     WHERE t.agent_id = a.id AND t.kind = 'tag' AND t.name = 'region' AND t.value = ?)
       ORDER BY a.name COLLATE NOCASE, a.name, a.repo`,
    );
    const rawFor = (q: AgentQuery): unknown[] =>
      raw.all(q.repo, q.type, 'active', 'idle', q.capabilities?.[0], q.region);

    // Same answers, or the comparison means nothing.
    let rows = 0;
    for (let i = 0; i < 200; i++) {
      const q = queryFor(i);
      const ours = registry.discover(q).map((a) => a.name);
      const theirs = (rawFor(q) as Array<{ name: string }>).map((r) => r.name);
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) throw new Error(`results differ for ${JSON.stringify(q)}`);
      rows += ours.length;
    }
    for (let i = 0; i < WARMUP; i++) {
      registry.discover(queryFor(i));
      rawFor(queryFor(i));
    }

    const discover: number[] = [];
    const rawTimes: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const q = queryFor(i);
      // Alternate which goes first so neither always runs on a warmer cache.
      if (i % 2 === 0) {
        let start = process.hrtime.bigint();
        registry.discover(q);
        discover.push(elapsedMs(start));
        start = process.hrtime.bigint();
        rawFor(q);
        rawTimes.push(elapsedMs(start));
      } else {
        let start = process.hrtime.bigint();
        rawFor(q);
        rawTimes.push(elapsedMs(start));
        start = process.hrtime.bigint();
        registry.discover(q);
        discover.push(elapsedMs(start));
      }
    }
    return {
      register_p50_ms: percentile(register, 50),
      register_p99_ms: percentile(register, 99),
      register_over_1ms: register.filter((t) => t > 1).length,
      discover_p50_ms: percentile(discover, 50),
      discover_p99_ms: percentile(discover, 99),
      raw_p50_ms: percentile(rawTimes, 50),
      raw_p99_ms: percentile(rawTimes, 99),
      mean_rows: rows / 200,
    };
  } finally {
    registry.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rounds: RoundFigures[] = [];
console.log(`registry: ${AGENTS} agents across ${REPOS} repos, ${QUERIES} discoveries + ${QUERIES} raw queries, ${ROUNDS} rounds`);
for (let r = 0; r < ROUNDS; r++) {
  const f = runRound();
  rounds.push(f);
  console.log(
    `round ${r + 1}: register p50 ${round3(f.register_p50_ms)} p99 ${round3(f.register_p99_ms)} ms ` +
      `(${f.register_over_1ms} over 1 ms) | discover p50 ${round3(f.discover_p50_ms)} p99 ${round3(f.discover_p99_ms)} ms ` +
      `| raw p50 ${round3(f.raw_p50_ms)} p99 ${round3(f.raw_p99_ms)} ms | ${f.mean_rows.toFixed(1)} rows/query`,
  );
}
const m = (key: keyof RoundFigures): number => round3(median(rounds.map((f) => f[key])));
console.log(
  `median: register p50 ${m('register_p50_ms')} p99 ${m('register_p99_ms')} ms | ` +
    `discover p50 ${m('discover_p50_ms')} p99 ${m('discover_p99_ms')} ms | raw p50 ${m('raw_p50_ms')} p99 ${m('raw_p99_ms')} ms`,
);
console.log(
  JSON.stringify({
    bench: 'registry',
    agents: AGENTS,
    register_p99_ms: m('register_p99_ms'),
    discover_p99_ms: m('discover_p99_ms'),
    raw_p99_ms: m('raw_p99_ms'),
    ratio: round3(m('discover_p99_ms') / m('raw_p99_ms')),
  }),
);
