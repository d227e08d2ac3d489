/**
 * Fixtures of the work model for the renderer's tests: tasks, blackboard entries, and a
 * fake core that answers the work calls (the rest as fixtures.ts).
 */
import type { ContextEntry } from '../../../src/shared/blackboard.js';
import type { TaskRecord } from '../../../src/shared/tasks.js';
import type { RepoView } from '../../../src/shared/work-contract.js';
import { fakeCore } from './fixtures.js';

export function task(overrides: Partial<TaskRecord> & { id: string }): TaskRecord {
  return {
    repo: 'default',
    title: `Task ${overrides.id}`,
    body: 'do it',
    constraints: {},
    timeoutMs: 1_800_000,
    requestedBy: 'user',
    target: 'type:coder',
    assignedTo: 'coder-1',
    phase: 'executing',
    parentId: null,
    result: null,
    error: null,
    cost: { inputTokens: 0, outputTokens: 0, costUsd: null },
    createdAt: 1_000,
    updatedAt: 2_000,
    history: [{ phase: 'init', at: 1_000, by: 'user' }],
    messageIds: [],
    ...overrides,
  };
}

export function entry(overrides: Partial<ContextEntry> & { key: string }): ContextEntry {
  return {
    repo: 'default',
    value: 'a note',
    writer: 'ada.user',
    revision: 1,
    updatedAt: 5_000,
    expiresAt: null,
    operation: 'put',
    ...overrides,
  };
}

/** A core with tasks, a blackboard and (optionally) several repos; each list answers per repo. */
export function workCore(initial: { tasks?: TaskRecord[]; entries?: ContextEntry[]; repos?: RepoView[] } = {}): ReturnType<typeof fakeCore> {
  const core = fakeCore();
  const byRepo = <T extends { repo: string }>(items: T[], input: unknown): T[] => {
    const repo = (input as { repo?: string } | undefined)?.repo ?? 'default';
    return items.filter((item) => item.repo === repo);
  };
  core.handle('repos.list', () => initial.repos ?? [{ repo: 'default', primary: true, agents: 0 }]);
  core.handle('tasks.list', (input) => byRepo(initial.tasks ?? [], input));
  core.handle('context.list', (input) => byRepo(initial.entries ?? [], input));
  return core;
}

/** What the core answers for a call that is not built yet (src/core/work-pending.ts). */
export function notYetBuilt(call: string): never {
  throw { name: 'NotYetBuilt', message: `${call} is not built yet` };
}
