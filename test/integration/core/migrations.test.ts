import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, schemaVersion } from '../../../src/core/db/migrations.js';
import { openDatabase } from '../../../src/core/db/database.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const dirs: Array<{ remove(): void }> = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

function tempFile(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return join(dir.path, 'test.db');
}

describe('migrations', () => {
  it('migration 1 creates the settings table on a new database', () => {
    const db = new BetterSqlite3(tempFile());
    expect(migrate(db, MIGRATIONS, 1)).toBe(1);
    expect(schemaVersion(db)).toBe(1);
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('k', '"v"', 1);
    expect(db.prepare('SELECT value FROM settings WHERE key = ?').get('k')).toEqual({ value: '"v"' });
    db.close();
  });

  it('brings a database at any version up to the latest, keeping its data', () => {
    const file = tempFile();
    const old = new BetterSqlite3(file);
    migrate(old, MIGRATIONS, 1);
    old.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('kept', '1', 1);
    old.close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT value FROM settings WHERE key = ?').get('kept')).toEqual({ value: '1' });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('rolls back a migration that fails halfway, leaving the version where it was', () => {
    const db = new BetterSqlite3(tempFile());
    const broken = [
      ...MIGRATIONS.slice(0, 1),
      {
        version: 2,
        name: 'broken',
        up(database: BetterSqlite3.Database) {
          database.exec('CREATE TABLE half (id INTEGER)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, broken)).toThrow('boom');
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    db.close();
  });

  it('refuses gaps in the numbering', () => {
    const db = new BetterSqlite3(':memory:');
    expect(() => migrate(db, [{ version: 2, name: 'x', up() {} }])).toThrow(/without gaps/);
    db.close();
  });
});
