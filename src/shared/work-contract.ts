/**
 * Contract calls and events of the work model and of a desktop's several repos, one
 * table per feature. contract.ts spreads each table into its `calls` / `events` once
 * the core answers them.
 */
import { z } from 'zod';
import { RepoName } from './domain.js';
import { ContextChanged, ContextEntry, ContextGetInput, ContextListInput, ContextSetInput, ContextValue } from './blackboard.js';
import { TaskCreateInput, TaskQuery, TaskRecord, TaskRef, TasksChanged } from './tasks.js';
import { AgentMetrics, AgentMetricsInput, SpawnRules } from './work-model.js';

export const taskCalls = {
  'tasks.create': { input: TaskCreateInput, output: TaskRecord },
  'tasks.list': { input: TaskQuery.optional(), output: z.array(TaskRecord) },
  'tasks.get': { input: TaskRef, output: TaskRecord.nullable() },
  /** Fails the task (`Cancelled`) and sends `task.cancel` to its assignee. */
  'tasks.cancel': { input: TaskRef, output: TaskRecord },
};
export const taskEvents = { 'tasks.changed': TasksChanged };

export const contextCalls = {
  'context.set': { input: ContextSetInput, output: ContextEntry },
  'context.get': { input: ContextGetInput, output: ContextValue },
  'context.list': { input: ContextListInput, output: z.array(ContextEntry) },
};
export const contextEvents = { 'context.changed': ContextChanged };

export const spawnRuleCalls = {
  /** The desktop's own spawn rules, for its local agents. */
  'spawnRules.get': { input: z.void(), output: SpawnRules },
  'spawnRules.set': { input: SpawnRules, output: SpawnRules },
};

export const metricsCalls = {
  'agents.metrics': { input: AgentMetricsInput, output: AgentMetrics },
};

/** One repo this desktop works in. */
export const RepoView = z.object({
  repo: RepoName,
  /** The config's `repo`: where a call without a repo goes. */
  primary: z.boolean(),
  agents: z.number().int().nonnegative(),
});
export type RepoView = z.infer<typeof RepoView>;

export const repoCalls = {
  'repos.list': { input: z.void(), output: z.array(RepoView) },
};
