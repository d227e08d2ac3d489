import { describe, expect, it } from 'vitest';
import { createSqliteRegistry } from '../../../../src/core/registry/sqlite-registry.js';
import { registration } from '../../registry/registry-fixture.js';
import { columns, databaseAt, indexes, tables, upgradeTo } from './step-db.js';

describe('migration 0002: registry', () => {
  it('upgrades a database at 1, keeping its settings and adding the registry tables the registry then uses', () => {
    const { db } = databaseAt(1, (old) => {
      old.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('hybrid-config', '{"enabled":false}', 42);
    });
    expect(upgradeTo(db, 2)).toBe(2);

    expect(db.prepare('SELECT key, value, updated_at FROM settings').all()).toEqual([
      { key: 'hybrid-config', value: '{"enabled":false}', updated_at: 42 },
    ]);
    expect(tables(db)).toEqual(['agent_attributes', 'agents', 'registry_state', 'settings']);
    expect(columns(db, 'agents')).toEqual([
      'id INTEGER PK',
      'repo TEXT NOT NULL',
      'name TEXT NOT NULL',
      'type TEXT NOT NULL',
      'location TEXT NOT NULL',
      'ownership TEXT NOT NULL',
      'owner TEXT NOT NULL',
      'endpoint TEXT NOT NULL',
      'instance_id TEXT NOT NULL',
      'registered_at INTEGER NOT NULL',
      'last_heartbeat INTEGER NOT NULL',
      'status TEXT NOT NULL',
      'capabilities TEXT NOT NULL',
      'tags TEXT NOT NULL',
      'load_current REAL NOT NULL',
      'load_max REAL NOT NULL',
      'metadata TEXT NOT NULL',
      'revision INTEGER NOT NULL',
      'local_revision INTEGER NOT NULL',
      'heartbeat_interval_ms INTEGER',
      'status_changed_at INTEGER NOT NULL',
      'swept INTEGER NOT NULL = 0',
      'load_ratio REAL generated',
    ]);
    expect(indexes(db, 'agents')).toEqual(['agents_repo_type_instance(repo, type, instance_id)', 'u(repo, name)']);
    expect(columns(db, 'agent_attributes')).toEqual(['agent_id INTEGER NOT NULL PK', 'kind TEXT NOT NULL PK', 'name TEXT NOT NULL PK', 'value TEXT NOT NULL']);
    expect(indexes(db, 'agent_attributes')).toEqual(['pk(agent_id, kind, name)']);
    expect(db.prepare('SELECT key, value FROM registry_state ORDER BY key').all()).toEqual([
      { key: 'remote_revision', value: 0 },
      { key: 'revision', value: 0 },
    ]);

    // And the registry works on the upgraded database; attributes go with their agent.
    const registry = createSqliteRegistry(db, { clock: { now: () => 1 }, sweepEveryMs: false });
    const agent = registry.register(registration({ capabilities: ['review'] }));
    expect(registry.discover().map((a) => a.name)).toEqual([agent.name]);
    expect(db.prepare('SELECT kind, name FROM agent_attributes').all()).toEqual([{ kind: 'capability', name: 'review' }]);
    expect(db.prepare('SELECT load_ratio FROM agents').get()).toEqual({ load_ratio: 0 });
    registry.close();
    db.prepare('DELETE FROM agents').run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM agent_attributes').get()).toEqual({ n: 0 });
  });
});
