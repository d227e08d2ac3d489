/**
 * What every upgrade test needs: a real SQLite file in a temp folder brought to one
 * version, reopened as a restart would, and a readable picture of its schema.
 */
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { migrate, schemaVersion } from '../../../../src/core/db/migrate.js';
import { MIGRATIONS } from '../../../../src/core/db/migrations/index.js';
import { makeTempDir } from '../../../helpers/temp-dir.js';

const dirs: Array<{ remove(): void }> = [];
const open: Database[] = [];
afterEach(() => {
  open.splice(0).forEach((db) => db.open && db.close());
  dirs.splice(0).forEach((dir) => dir.remove());
});

function connect(file: string): Database {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  open.push(db);
  return db;
}

/** A database file at `version`; `seed` writes the rows an older release would have left. */
export function databaseAt(version: number, seed: (db: Database) => void = () => {}): { file: string; db: Database } {
  const dir = makeTempDir('sy-migrate-');
  dirs.push(dir);
  const file = join(dir.path, 'switchyard.db');
  const old = connect(file);
  if (migrate(old, MIGRATIONS, version) !== version) throw new Error(`could not bring the database to ${version}`);
  seed(old);
  old.close();
  return { file, db: connect(file) };
}

/** Upgrades to `version` only (never further), returning the version reached. */
export function upgradeTo(db: Database, version: number): number {
  const reached = migrate(db, MIGRATIONS, version);
  if (schemaVersion(db) !== reached) throw new Error('user_version and the reported version disagree');
  return reached;
}

/** The tables of the database, sorted (SQLite's own excluded). */
export function tables(db: Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((row) => row.name);
}

/** A table's columns as `name TYPE[ NOT NULL][ PK][ = default][ generated]`, in order. */
export function columns(db: Database, table: string): string[] {
  const rows = db.pragma(`table_xinfo(${table})`) as Array<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number; hidden: number }>;
  return rows.map((c) =>
    [c.name, c.type, c.notnull ? 'NOT NULL' : '', c.pk ? 'PK' : '', c.dflt_value !== null ? `= ${c.dflt_value}` : '', c.hidden === 2 ? 'generated' : '']
      .filter(Boolean)
      .join(' '),
  );
}

/** A table's indexes as `name(col, col)`, sorted; automatic ones (UNIQUE, PK) included. */
export function indexes(db: Database, table: string): string[] {
  const list = db.pragma(`index_list(${table})`) as Array<{ name: string; origin: string }>;
  return list
    .map((index) => {
      const cols = (db.pragma(`index_info(${index.name})`) as Array<{ name: string }>).map((c) => c.name);
      return `${index.origin === 'c' ? index.name : index.origin}(${cols.join(', ')})`;
    })
    .sort();
}
