import { describe, expect, it } from 'vitest';
import { createSqliteRegistry } from '../../../../src/core/registry/sqlite-registry.js';
import { DesiredAgents } from '../../../../src/core/desired/desired-store.js';
import { registration } from '../../registry/registry-fixture.js';
import { columns, databaseAt, indexes, tables, upgradeTo } from './step-db.js';

describe('migration 0006: desired agents', () => {
  it('upgrades a database at 5, keeping its registry, and remembers starts, stops and autostart types per repo', () => {
    const { db } = databaseAt(5, (old) => {
      const registry = createSqliteRegistry(old, { clock: { now: () => 1 }, sweepEveryMs: false });
      registry.register(registration({ name: 'echo' }));
      registry.close();
    });
    expect(upgradeTo(db, 6)).toBe(6);

    expect(db.prepare('SELECT name FROM agents').all()).toEqual([{ name: 'echo' }]);
    expect(tables(db)).toEqual(expect.arrayContaining(['agents', 'autostart_types', 'desired_agents', 'settings', 'traces']));
    expect(columns(db, 'desired_agents')).toEqual([
      'repo TEXT NOT NULL PK',
      'name TEXT NOT NULL PK',
      'type TEXT NOT NULL',
      'workspace TEXT',
      'isolation TEXT',
      'wanted TEXT NOT NULL',
      'updated_at INTEGER NOT NULL',
    ]);
    expect(indexes(db, 'desired_agents')).toEqual(['pk(repo, name)']);
    expect(columns(db, 'autostart_types')).toEqual(['repo TEXT NOT NULL PK', 'type TEXT NOT NULL PK', 'updated_at INTEGER NOT NULL']);

    const desired = new DesiredAgents(db);
    desired.started({ repo: 'team', name: 'echo', type: 'echo' }, 10);
    desired.started({ repo: 'team', name: 'coder', type: 'claude-code', workspace: '/repo', isolation: 'worktree' }, 11);
    desired.started({ repo: 'other', name: 'echo', type: 'echo' }, 12);
    desired.stopped('team', 'echo', 13);
    // A stop of a name never started leaves nothing behind.
    desired.stopped('team', 'ghost', 14);
    expect(desired.list('team')).toEqual([
      { repo: 'team', name: 'coder', type: 'claude-code', workspace: '/repo', isolation: 'worktree', wanted: 'running', updatedAt: 11 },
      { repo: 'team', name: 'echo', type: 'echo', wanted: 'stopped', updatedAt: 13 },
    ]);
    // Started again: running, with the options of this start.
    desired.started({ repo: 'team', name: 'echo', type: 'echo', isolation: 'none' }, 15);
    expect(desired.get('team', 'echo')).toMatchObject({ wanted: 'running', isolation: 'none' });
    expect(() => db.prepare("UPDATE desired_agents SET wanted = 'maybe'").run()).toThrow(/CHECK/);

    desired.setAutostart('team', 'workspace', true, 16);
    desired.setAutostart('team', 'echo', true, 16);
    desired.setAutostart('team', 'echo', true, 17);
    desired.setAutostart('other', 'echo', true, 17);
    desired.setAutostart('team', 'workspace', false, 18);
    expect(desired.autostart('team')).toEqual(['echo']);
    expect(desired.autostart('other')).toEqual(['echo']);
  });
});
