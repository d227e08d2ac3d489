import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, schemaVersion } from '../../../src/core/db/migrations.js';
import { createSqliteRegistry } from '../../../src/core/registry/sqlite-registry.js';
import { registration } from './registry-fixture.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migration 2: registry', () => {
  it('upgrades a version-1 database, keeping its settings and adding the registry tables', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-migrate-'));
    dirs.push(dir);
    const file = join(dir, 'switchyard.db');
    const v1 = new BetterSqlite3(file);
    expect(migrate(v1, MIGRATIONS, 1)).toBe(1);
    v1.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('hybrid-config', '{"enabled":false}', 42);
    v1.close();

    const db = new BetterSqlite3(file);
    try {
      db.pragma('foreign_keys = ON');
      expect(schemaVersion(db)).toBe(1);
      expect(migrate(db, MIGRATIONS, 2)).toBe(2);
      expect(db.prepare('SELECT key, value, updated_at FROM settings').all()).toEqual([
        { key: 'hybrid-config', value: '{"enabled":false}', updated_at: 42 },
      ]);
      const tables = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .all()
        .map((row) => (row as { name: string }).name);
      expect(tables).toEqual(expect.arrayContaining(['agents', 'agent_attributes', 'registry_state']));
      expect(db.prepare('SELECT key, value FROM registry_state ORDER BY key').all()).toEqual([
        { key: 'remote_revision', value: 0 },
        { key: 'revision', value: 0 },
      ]);

      // And the registry works on the upgraded database.
      const registry = createSqliteRegistry(db, { clock: { now: () => 1 }, sweepEveryMs: false });
      registry.register(registration());
      expect(registry.discover()).toHaveLength(1);
      registry.close();
    } finally {
      db.close();
    }
  });
});
