import { describe, expect, it } from 'vitest';
import type { TaskUsageRecord } from '../../../src/core/participant/message-bodies.js';
import { summarise, utcDay } from '../../../src/core/participant/usage-summary.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 28, 23, 59, 0);

function task(change: Partial<TaskUsageRecord>): TaskUsageRecord {
  return { agent: 'coder', repo: 'app', taskId: 't', messageId: 'm', at: T0, ok: true, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: null, durationMs: 0, ...change };
}

describe('usage summaries', () => {
  it('names days in UTC, whatever the local time zone', () => {
    expect(utcDay(Date.UTC(2026, 10, 28, 23, 59, 59, 999))).toBe('2026-11-28');
    expect(utcDay(Date.UTC(2026, 10, 29, 0, 0, 0))).toBe('2026-11-29');
  });

  it('sums totals, per agent in its repo, per repo and per day, and counts failures', () => {
    const summary = summarise([
      task({ taskId: 'a', inputTokens: 10, outputTokens: 1, cachedInputTokens: 5, costUsd: 0.25, durationMs: 100 }),
      task({ taskId: 'b', at: T0 + 60_000, ok: false, inputTokens: 3, costUsd: null }),
      task({ taskId: 'c', agent: 'reviewer', repo: 'team', at: T0 + DAY + 60_000, inputTokens: 7, outputTokens: 2, costUsd: 0.5, durationMs: 50 }),
      task({ taskId: 'd', repo: 'team', at: T0 + DAY + 60_001, costUsd: 1 }),
    ]);
    expect(summary.totals).toEqual({ tasks: 4, failedTasks: 1, inputTokens: 20, outputTokens: 3, cachedInputTokens: 5, costUsd: 1.75, durationMs: 150 });
    expect(summary.byAgent.map((a) => [a.agent, a.repo, a.tasks, a.costUsd])).toEqual([
      ['coder', 'app', 2, 0.25],
      ['coder', 'team', 1, 1],
      ['reviewer', 'team', 1, 0.5],
    ]);
    expect(summary.byRepo.map((r) => [r.repo, r.tasks, r.inputTokens])).toEqual([
      ['app', 2, 13],
      ['team', 2, 7],
    ]);
    // 23:59 and 00:00 the next minute are two days; oldest first.
    expect(summary.byDay.map((d) => [d.day, d.tasks, d.failedTasks])).toEqual([
      ['2026-11-28', 1, 0],
      ['2026-11-29', 1, 1],
      ['2026-11-30', 2, 0],
    ]);
    expect(summary.recent.map((r) => r.taskId)).toEqual(['d', 'c', 'b', 'a']);
    expect(summary.recent[2]).toEqual({ agent: 'coder', repo: 'app', taskId: 'b', at: T0 + 60_000, ok: false, inputTokens: 3, outputTokens: 0, costUsd: null, durationMs: 0 });
  });

  it('lists only the newest tasks as recent, and gives zeros for nothing', () => {
    const tasks = Array.from({ length: 60 }, (_, i) => task({ taskId: `t${i}`, at: T0 + i }));
    const summary = summarise(tasks);
    expect(summary.recent).toHaveLength(50);
    expect(summary.recent[0]!.taskId).toBe('t59');
    expect(summary.recent.at(-1)!.taskId).toBe('t10');
    expect(summarise([])).toEqual({
      totals: { tasks: 0, failedTasks: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0, durationMs: 0 },
      byAgent: [],
      byRepo: [],
      byDay: [],
      recent: [],
    });
  });
});
