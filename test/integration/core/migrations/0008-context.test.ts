import { describe, expect, it } from 'vitest';
import { DesiredAgents } from '../../../../src/core/desired/desired-store.js';
import { ContextStore } from '../../../../src/core/blackboard/context-store.js';
import type { ContextEntry } from '../../../../src/shared/blackboard.js';
import { columns, databaseAt, indexes, tables, upgradeTo } from './step-db.js';

const entry = (key: string, revision: number, value: ContextEntry['value'], extra: Partial<ContextEntry> = {}): ContextEntry => ({
  repo: 'team',
  key,
  value,
  writer: 'ada.user',
  revision,
  updatedAt: revision,
  expiresAt: null,
  operation: 'put',
  ...extra,
});

describe('migration 0008: the blackboard', () => {
  it('upgrades a database at 7, keeping what it held, and keeps both boards apart with their history', () => {
    const { db } = databaseAt(7, (old) => new DesiredAgents(old).started({ repo: 'team', name: 'echo', type: 'echo' }, 1));
    expect(upgradeTo(db, 8)).toBe(8);

    expect(new DesiredAgents(db).list('team')).toMatchObject([{ name: 'echo', wanted: 'running' }]);
    expect(tables(db)).toEqual(expect.arrayContaining(['context_entries', 'desired_agents']));
    expect(columns(db, 'context_entries')).toEqual([
      'scope TEXT NOT NULL PK',
      'repo TEXT NOT NULL PK',
      'key TEXT NOT NULL PK',
      'revision INTEGER NOT NULL PK',
      'value TEXT',
      'writer TEXT NOT NULL',
      'updated_at INTEGER NOT NULL',
      'expires_at INTEGER',
      'operation TEXT NOT NULL',
    ]);
    expect(indexes(db, 'context_entries')).toEqual(['context_entries_expiry(scope, expires_at)', 'pk(scope, repo, key, revision)']);

    const store = new ContextStore(db);
    expect(store.append('team', [entry('shared/a', 5, 1), entry('shared/a', 7, 2)])).toHaveLength(2);
    // A replayed revision (the watch after a reconnect) is not new.
    expect(store.append('team', [entry('shared/a', 7, 2)])).toEqual([]);
    store.append('local', [entry('shared/a', 1, 'local')]);
    expect(store.latest('team', 'team', 'shared/a')?.value).toBe(2);
    expect(store.latest('local', 'team', 'shared/a')?.value).toBe('local');
    expect(store.history('team', 'team', 'shared/a').map((e) => e.revision)).toEqual([7, 5]);
    store.append('team', [entry('shared/lease', 9, 'x', { expiresAt: 100 })]);
    expect(store.expired('team', 100).map((e) => e.key)).toEqual(['shared/lease']);
    expect(store.expired('team', 99)).toEqual([]);
    expect(() => db.prepare("UPDATE context_entries SET operation = 'merge'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE context_entries SET scope = 'other'").run()).toThrow(/CHECK/);
  });
});
