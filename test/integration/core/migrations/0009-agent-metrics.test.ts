import { describe, expect, it } from 'vitest';
import { AgentMetricsStore, METRICS_RETENTION_MS } from '../../../../src/core/metrics/agent-metrics-store.js';
import { createSqliteRegistry } from '../../../../src/core/registry/sqlite-registry.js';
import { registration } from '../../registry/registry-fixture.js';
import { columns, databaseAt, tables, upgradeTo } from './step-db.js';

const task = (messageId: string, at: number, outcome: 'completed' | 'failed', durationMs: number | null = null) => ({
  messageId,
  repo: 'team',
  agent: 'coder',
  at,
  outcome,
  durationMs,
  inputTokens: 10,
  outputTokens: 5,
  costUsd: 0.5,
});

describe('migration 0009: agent metrics', () => {
  it('upgrades a database at 8, keeping its registry, and sums tasks, uptime and restarts over a window', () => {
    const { db } = databaseAt(8, (old) => {
      const registry = createSqliteRegistry(old, { clock: { now: () => 1 }, sweepEveryMs: false });
      registry.register(registration({ name: 'echo' }));
      registry.close();
    });
    expect(upgradeTo(db, 9)).toBe(9);
    expect(db.prepare('SELECT name FROM agents').all()).toEqual([{ name: 'echo' }]);
    expect(tables(db)).toEqual(expect.arrayContaining(['agent_restarts', 'agent_task_events', 'agent_up_intervals', 'agents']));
    expect(columns(db, 'agent_up_intervals')).toEqual([
      'repo TEXT NOT NULL PK',
      'agent TEXT NOT NULL PK',
      'started_at INTEGER NOT NULL PK',
      'ended_at INTEGER',
      'seen_at INTEGER NOT NULL',
    ]);

    const store = new AgentMetricsStore(db);
    const hour = 3_600_000;
    const now = 10 * 86_400_000;
    // A task counted once though seen twice (accepted, then delivered).
    expect(store.recordTask(task('m1', now - 2 * hour, 'completed', 1_000))).toBe(true);
    expect(store.recordTask(task('m1', now - 2 * hour, 'completed', 1_000))).toBe(false);
    store.recordTask(task('m2', now - 30 * 60_000, 'completed', 3_000));
    store.recordTask(task('m3', now - 10 * 60_000, 'failed'));
    store.recordTask(task('m0', now - 8 * 86_400_000, 'completed', 9_000));
    // Up for the last 45 minutes with a restart at 20 minutes ago (down 5 minutes).
    store.up('team', 'coder', now - 45 * 60_000);
    store.down('team', 'coder', now - 20 * 60_000);
    store.restart('team', 'coder', now - 20 * 60_000);
    store.up('team', 'coder', now - 15 * 60_000);
    store.up('team', 'coder', now - 10 * 60_000); // already up: nothing new

    const lastHour = store.summary('team', 'coder', now - hour, now);
    expect(lastHour).toEqual({ tasksCompleted: 1, tasksFailed: 1, avgDurationMs: 3_000, inputTokens: 20, outputTokens: 10, costUsd: 1, upMs: 40 * 60_000, restarts: 1 });
    expect(store.summary('team', 'coder', now - 24 * hour, now)).toMatchObject({ tasksCompleted: 2, avgDurationMs: 2_000 });

    // A crash leaves the interval open: the next start ends it where it was last seen.
    store.checkpoint(now - 5 * 60_000);
    expect(store.closeDangling()).toBe(1);
    expect(store.summary('team', 'coder', now - hour, now).upMs).toBe(35 * 60_000);

    store.prune(now);
    expect(db.prepare("SELECT COUNT(*) AS n FROM agent_task_events WHERE message_id = 'm0'").get()).toEqual({ n: 0 });
    expect(store.knows('team', 'coder')).toBe(true);
    expect(store.knows('team', 'nobody')).toBe(false);
    expect(METRICS_RETENTION_MS).toBe(7 * 86_400_000);
    expect(() => db.prepare("UPDATE agent_task_events SET outcome = 'maybe'").run()).toThrow(/CHECK/);
  });
});
