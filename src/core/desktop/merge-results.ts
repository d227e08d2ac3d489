/**
 * How the answers of several repo cores become one answer, for list calls made without
 * a repo (the all-repos board). Pure: each function takes the cores' answers and the
 * caller's query, and orders and cuts the union the way one core would.
 */
import type { AgentInfo } from '../../shared/domain.js';
import type { AgentQuery } from '../../shared/registry-query.js';
import type { TracePage, TraceQuery, TraceSummary } from '../../shared/routing-contract.js';
import type { ApprovalView, ConversationEntry, UsageSummary, UsageTotals } from '../../shared/coding-contract.js';
import type { Problem } from '../../shared/problems.js';
import type { TaskQuery, TaskRecord } from '../../shared/tasks.js';
import type { ContextEntry } from '../../shared/blackboard.js';

/** The traces page size a core uses when the query sets none (src/core/traces). */
const DEFAULT_TRACE_PAGE = 100;
/** How many finished tasks a usage summary lists (src/core/participant/usage-summary.ts). */
const RECENT_TASKS = 50;

const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function loadRatio(agent: AgentInfo): number {
  return agent.load.max > 0 ? agent.load.current / agent.load.max : agent.load.current;
}

/** The registry's discovery order (src/core/registry/query-builder.ts), over several registries. */
export function mergeAgents(lists: readonly AgentInfo[][], query: AgentQuery = {}): AgentInfo[] {
  const direction = query.order === 'desc' ? -1 : 1;
  const tie = (a: AgentInfo, b: AgentInfo): number => text(a.repo, b.repo) || text(a.name, b.name);
  const compare = (a: AgentInfo, b: AgentInfo): number => {
    switch (query.sort ?? 'name') {
      case 'name':
        return direction * (text(a.name.toLowerCase(), b.name.toLowerCase()) || text(a.name, b.name) || text(a.repo, b.repo));
      case 'type':
        return direction * text(a.type, b.type) || tie(a, b);
      case 'load':
        return direction * (loadRatio(a) - loadRatio(b) || a.load.current - b.load.current) || tie(a, b);
      case 'lastHeartbeat':
        return direction * (a.lastHeartbeat - b.lastHeartbeat) || tie(a, b);
      case 'registeredAt':
        return direction * (a.registeredAt - b.registeredAt) || tie(a, b);
    }
  };
  const all = lists.flat().sort(compare);
  return query.limit !== undefined ? all.slice(0, query.limit) : all;
}

/**
 * One page of traces, newest first, from pages every core served for the same query.
 * The keyset cursor (`<createdAt>:<messageId>`) means the same position in every core,
 * so the next page asks each core from the last trace served here.
 */
export function mergeTracePages(pages: readonly TracePage[], query: TraceQuery = {}): TracePage {
  const limit = query.limit ?? DEFAULT_TRACE_PAGE;
  const all = pages.flatMap((page) => page.items).sort(newestTraceFirst);
  const items = all.slice(0, limit);
  const more = all.length > limit || pages.some((page) => page.nextCursor !== null);
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? `${last.createdAt}:${last.messageId}` : null };
}

function newestTraceFirst(a: TraceSummary, b: TraceSummary): number {
  return b.createdAt - a.createdAt || text(b.messageId, a.messageId);
}

/** Newest request first, as one core lists them. */
export function mergeApprovals(lists: readonly ApprovalView[][]): ApprovalView[] {
  return lists.flat().sort((a, b) => b.requestedAt - a.requestedAt || text(a.approvalId, b.approvalId));
}

/** The person's conversation with a peer in every repo: the latest `limit` entries, oldest first. */
export function mergeConversation(lists: readonly ConversationEntry[][], limit: number): ConversationEntry[] {
  const all = lists.flat().sort((a, b) => a.at - b.at || text(a.messageId, b.messageId));
  return all.slice(Math.max(0, all.length - limit));
}

/**
 * Every core's problems, one per id. Agent and registry problems name their repo in
 * their id; the link's do not (`link.down`: every repo shares one server and token), so
 * the same link problem from several repos shows once: the one that still holds, else
 * the latest.
 */
export function mergeProblems(lists: readonly Problem[][]): Problem[] {
  const byId = new Map<string, Problem>();
  for (const problem of lists.flat()) {
    const held = byId.get(problem.id);
    if (!held || outranks(problem, held)) byId.set(problem.id, problem);
  }
  return [...byId.values()];
}

function outranks(problem: Problem, held: Problem): boolean {
  const holds = problem.resolvedAt === null;
  if (holds !== (held.resolvedAt === null)) return holds;
  return problem.at > held.at;
}

/** Tasks of every repo, most recently changed first, cut at the query's limit. */
export function mergeTasks(lists: readonly TaskRecord[][], query: TaskQuery = {}): TaskRecord[] {
  const all = lists.flat().sort((a, b) => b.updatedAt - a.updatedAt || text(a.repo, b.repo) || text(a.id, b.id));
  return query.limit !== undefined ? all.slice(0, query.limit) : all;
}

/** Blackboard entries of every repo, by repo then key, cut at the query's limit. */
export function mergeContext(lists: readonly ContextEntry[][], limit?: number): ContextEntry[] {
  const all = lists.flat().sort((a, b) => text(a.repo, b.repo) || text(a.key, b.key));
  return limit !== undefined ? all.slice(0, limit) : all;
}

function addTotals<T extends UsageTotals>(into: T, from: UsageTotals): T {
  into.tasks += from.tasks;
  into.failedTasks += from.failedTasks;
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.cachedInputTokens += from.cachedInputTokens;
  into.costUsd += from.costUsd;
  into.durationMs += from.durationMs;
  return into;
}

function zero(): UsageTotals {
  return { tasks: 0, failedTasks: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0, durationMs: 0 };
}

/** Groups rows by key, adding their totals. */
function group<T extends UsageTotals>(rows: readonly T[], key: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    const held = byKey.get(key(row));
    if (held) addTotals(held, row);
    else byKey.set(key(row), { ...row });
  }
  return [...byKey.values()];
}

/** The usage of every repo as one summary (same groups and order as one core's). */
export function mergeUsage(summaries: readonly UsageSummary[]): UsageSummary {
  const totals = summaries.reduce((sum, summary) => addTotals(sum, summary.totals), zero());
  return {
    totals,
    byAgent: group(
      summaries.flatMap((s) => s.byAgent),
      (row) => `${row.repo}\u0000${row.agent}`,
    ).sort((a, b) => a.agent.localeCompare(b.agent) || a.repo.localeCompare(b.repo)),
    byRepo: group(
      summaries.flatMap((s) => s.byRepo),
      (row) => row.repo,
    ).sort((a, b) => a.repo.localeCompare(b.repo)),
    byDay: group(
      summaries.flatMap((s) => s.byDay),
      (row) => row.day,
    ).sort((a, b) => a.day.localeCompare(b.day)),
    recent: summaries
      .flatMap((s) => s.recent)
      .sort((a, b) => b.at - a.at)
      .slice(0, RECENT_TASKS),
  };
}
