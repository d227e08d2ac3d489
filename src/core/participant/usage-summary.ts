/**
 * Usage summaries from counted tasks: totals, per agent, per repo and per UTC day. Pure,
 * so the arithmetic (and where a day begins) is tested without a database.
 */
import type { TaskUsage, UsageSummary, UsageTotals } from '../../shared/coding-contract.js';
import type { TaskUsageRecord } from './message-bodies.js';

/** How many finished tasks a summary lists, newest first. */
export const RECENT_TASKS = 50;

export function emptyTotals(): UsageTotals {
  return { tasks: 0, failedTasks: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0, durationMs: 0 };
}

/** Adds one task to totals in place. */
export function addTask(totals: UsageTotals, task: TaskUsageRecord): UsageTotals {
  totals.tasks += 1;
  if (!task.ok) totals.failedTasks += 1;
  totals.inputTokens += task.inputTokens;
  totals.outputTokens += task.outputTokens;
  totals.cachedInputTokens += task.cachedInputTokens;
  totals.costUsd += task.costUsd ?? 0;
  totals.durationMs += task.durationMs;
  return totals;
}

/** The UTC day of a time, `YYYY-MM-DD`: the same day on every desktop of the team. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/**
 * Summarises tasks given oldest first. Groups come out sorted (agents and repos by name,
 * days oldest first); `recent` lists the newest RECENT_TASKS, newest first.
 */
export function summarise(tasks: readonly TaskUsageRecord[], recentLimit = RECENT_TASKS): UsageSummary {
  const totals = emptyTotals();
  const byAgent = new Map<string, UsageTotals & { agent: string; repo: string }>();
  const byRepo = new Map<string, UsageTotals & { repo: string }>();
  const byDay = new Map<string, UsageTotals & { day: string }>();
  for (const task of tasks) {
    addTask(totals, task);
    const agentKey = `${task.repo}\u0000${task.agent}`;
    addTask(getOr(byAgent, agentKey, () => ({ ...emptyTotals(), agent: task.agent, repo: task.repo })), task);
    addTask(getOr(byRepo, task.repo, () => ({ ...emptyTotals(), repo: task.repo })), task);
    const day = utcDay(task.at);
    addTask(getOr(byDay, day, () => ({ ...emptyTotals(), day })), task);
  }
  const recent: TaskUsage[] = tasks
    .slice(-recentLimit)
    .reverse()
    .map((t) => ({
      agent: t.agent,
      repo: t.repo,
      taskId: t.taskId,
      at: t.at,
      ok: t.ok,
      inputTokens: t.inputTokens,
      outputTokens: t.outputTokens,
      costUsd: t.costUsd,
      durationMs: t.durationMs,
    }));
  return {
    totals,
    byAgent: [...byAgent.values()].sort((a, b) => a.agent.localeCompare(b.agent) || a.repo.localeCompare(b.repo)),
    byRepo: [...byRepo.values()].sort((a, b) => a.repo.localeCompare(b.repo)),
    byDay: [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day)),
    recent,
  };
}

function getOr<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
