import { describe, expect, it } from 'vitest';
import { DesiredAgents } from '../../../../src/core/desired/desired-store.js';
import { TaskStore } from '../../../../src/core/tasks/task-store.js';
import type { TaskRecord } from '../../../../src/shared/tasks.js';
import { columns, databaseAt, indexes, tables, upgradeTo } from './step-db.js';

const task = (id: string, patch: Partial<TaskRecord> = {}): TaskRecord => ({
  id,
  repo: 'team',
  title: `task ${id}`,
  body: 'do it',
  constraints: {},
  timeoutMs: 60_000,
  requestedBy: 'user',
  target: 'type:worker',
  assignedTo: null,
  phase: 'init',
  parentId: null,
  result: null,
  error: null,
  cost: { inputTokens: 0, outputTokens: 0, costUsd: null },
  createdAt: 100,
  updatedAt: 100,
  history: [{ phase: 'init', at: 100, by: 'user' }],
  messageIds: [],
  ...patch,
});

describe('migration 0007: tasks', () => {
  it('upgrades a database at 6, keeping its desired agents, and keeps tracked and mirrored tasks apart', () => {
    const { db } = databaseAt(6, (old) => new DesiredAgents(old).started({ repo: 'team', name: 'echo', type: 'echo' }, 1));
    expect(upgradeTo(db, 7)).toBe(7);
    expect(new DesiredAgents(db).list('team')).toMatchObject([{ name: 'echo', wanted: 'running' }]);
    expect(tables(db)).toEqual(expect.arrayContaining(['desired_agents', 'tasks']));
    expect(columns(db, 'tasks')).toEqual([
      'repo TEXT NOT NULL PK',
      'id TEXT NOT NULL PK',
      'phase TEXT NOT NULL',
      'requested_by TEXT NOT NULL',
      'assigned_to TEXT',
      'target TEXT NOT NULL',
      'parent_id TEXT',
      'tracked INTEGER NOT NULL',
      'deadline INTEGER NOT NULL',
      'created_at INTEGER NOT NULL',
      'updated_at INTEGER NOT NULL',
      'record TEXT NOT NULL',
    ]);
    expect(indexes(db, 'tasks')).toEqual(['pk(repo, id)', 'tasks_by_update(updated_at)', 'tasks_open(tracked, phase)']);

    const store = new TaskStore(db);
    store.put(task('a'), true);
    store.put(task('b', { requestedBy: 'bob.user', parentId: 'a', createdAt: 200 }), false);
    store.put(task('c', { phase: 'complete', assignedTo: 'echo', createdAt: 300 }), true);
    // A mirrored copy of a tracked task never makes it untracked.
    store.put(task('a', { assignedTo: 'w-1', phase: 'planning' }), false);
    expect(store.get('team', 'a')).toMatchObject({ tracked: true, task: { phase: 'planning', assignedTo: 'w-1' } });
    expect(store.open().map((t) => t.id)).toEqual(['a']);
    expect(store.list({}).map((t) => t.id)).toEqual(['c', 'b', 'a']);
    expect(store.list({ agent: 'echo' }).map((t) => t.id)).toEqual(['c']);
    expect(store.list({ phase: ['init', 'planning'], parentId: 'a' }).map((t) => t.id)).toEqual(['b']);
    expect(store.list({ repo: 'other' })).toEqual([]);
    // Half a task is never written.
    expect(() => store.put({ ...task('d'), phase: 'lost' } as unknown as TaskRecord, true)).toThrow(/ValidationError|phase/);
    expect(store.get('team', 'd')).toBeUndefined();
    expect(() => db.prepare("UPDATE tasks SET tracked = 2 WHERE id = 'a'").run()).toThrow(/CHECK/);
  });
});
