/**
 * The all-repos board's merges: several cores' answers read as one core's would, and
 * paging the merged traces visits every trace once, in order.
 */
import { describe, expect, it } from 'vitest';
import { mergeAgents, mergeProblems, mergeTracePages, mergeUsage } from '../../../src/core/desktop/merge-results.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
import type { Problem } from '../../../src/shared/problems.js';
import type { TracePage, TraceQuery, TraceSummary } from '../../../src/shared/routing-contract.js';
import type { UsageSummary } from '../../../src/shared/coding-contract.js';

function trace(repo: string, createdAt: number, messageId: string): TraceSummary {
  return { messageId, traceId: `t-${messageId}`, repo, from: 'user', to: 'echo', kind: 'text', status: 'delivered', route: null, createdAt, updatedAt: createdAt };
}

/** One core's keyset paging over its traces (as src/core/traces/trace-queries.ts). */
function pageOf(all: TraceSummary[], query: TraceQuery): TracePage {
  const limit = query.limit ?? 100;
  const sorted = [...all].sort((a, b) => b.createdAt - a.createdAt || (a.messageId < b.messageId ? 1 : -1));
  const [at, id] = query.cursor ? [Number(query.cursor.split(':')[0]), query.cursor.split(':')[1]!] : [Infinity, ''];
  const after = sorted.filter((t) => t.createdAt < at || (t.createdAt === at && t.messageId < id));
  const items = after.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: after.length > limit && last ? `${last.createdAt}:${last.messageId}` : null };
}

function agent(repo: string, name: string, registeredAt: number): AgentInfo {
  return { name, repo, registeredAt, load: { current: 0, max: 1 } } as AgentInfo;
}

describe('merging repo cores’ answers', () => {
  it('pages traces of two repos newest first, each exactly once, with one cursor for both', () => {
    const alpha = [trace('alpha', 5, 'a5'), trace('alpha', 3, 'a3'), trace('alpha', 1, 'a1'), trace('alpha', 3, 'a3b')];
    const beta = [trace('beta', 4, 'b4'), trace('beta', 3, 'b3'), trace('beta', 2, 'b2')];
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const query: TraceQuery = { limit: 2, ...(cursor ? { cursor } : {}) };
      const page = mergeTracePages([pageOf(alpha, query), pageOf(beta, query)], query);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((t) => t.messageId));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(['a5', 'b4', 'b3', 'a3b', 'a3', 'b2', 'a1']);
  });

  it('sorts and cuts agents across repos as the registry would', () => {
    const merged = mergeAgents(
      [
        [agent('alpha', 'Echo', 3), agent('alpha', 'user', 1)],
        [agent('beta', 'echo', 2), agent('beta', 'user', 4)],
      ],
      { sort: 'registeredAt', order: 'desc', limit: 3 },
    );
    expect(merged.map((a) => `${a.repo}/${a.name}`)).toEqual(['beta/user', 'alpha/Echo', 'beta/echo']);
    expect(mergeAgents([[agent('beta', 'b', 0)], [agent('alpha', 'B', 0), agent('alpha', 'a', 0)]]).map((a) => a.name)).toEqual(['a', 'B', 'b']);
  });

  it('shows a link problem of several repos once, the one that still holds', () => {
    const problem = (id: string, at: number, resolvedAt: number | null): Problem => ({
      id, severity: 'error', source: 'link', title: id, reason: '', advice: '', at, firstAt: at, count: 1, resolvedAt,
    });
    const merged = mergeProblems([
      [problem('link.down', 10, 12), problem('agent.crash-loop:alpha/echo', 5, null)],
      [problem('link.down', 8, null), problem('agent.crash-loop:beta/echo', 6, null)],
    ]);
    expect(merged.map((p) => [p.id, p.resolvedAt])).toEqual([
      ['link.down', null],
      ['agent.crash-loop:alpha/echo', null],
      ['agent.crash-loop:beta/echo', null],
    ]);
  });

  it('adds usage of two repos: totals, per day and the newest tasks first', () => {
    const totals = (tasks: number, cost: number) => ({ tasks, failedTasks: 0, inputTokens: tasks * 10, outputTokens: 0, cachedInputTokens: 0, costUsd: cost, durationMs: 0 });
    const summary = (repo: string, day: string, at: number): UsageSummary => ({
      totals: totals(2, 0.5),
      byAgent: [{ ...totals(2, 0.5), agent: 'coder', repo }],
      byRepo: [{ ...totals(2, 0.5), repo }],
      byDay: [{ ...totals(2, 0.5), day }],
      recent: [{ agent: 'coder', repo, taskId: `${repo}-1`, at, ok: true, inputTokens: 10, outputTokens: 0, costUsd: 0.25, durationMs: 0 }],
    });
    const merged = mergeUsage([summary('alpha', '2026-11-28', 1), summary('beta', '2026-11-28', 2)]);
    expect(merged.totals).toMatchObject({ tasks: 4, inputTokens: 40, costUsd: 1 });
    expect(merged.byDay).toEqual([{ ...totals(4, 1), day: '2026-11-28' }]);
    expect(merged.byAgent.map((row) => row.repo)).toEqual(['alpha', 'beta']);
    expect(merged.recent.map((task) => task.taskId)).toEqual(['beta-1', 'alpha-1']);
  });
});
