/**
 * Numbered migrations: each module adds its tables as the next number, and the runner
 * applies what a database has not seen yet, each in its own transaction.
 */
import type { Database } from 'better-sqlite3';
import { registryMigration } from '../registry/registry-migration.js';
import { outboxMigration } from '../router/outbox-migration.js';
import { tracesMigration } from '../traces/traces-migration.js';

export interface Migration {
  /** 1, 2, 3 …: the order they apply in; never renumber a released one. */
  version: number;
  name: string;
  up(db: Database): void;
}

/** Every migration of the desktop database, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'settings',
    up(db) {
      db.exec(`CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT`);
    },
  },
  registryMigration,
  outboxMigration,
  tracesMigration,
];

/** The version a database is at (0 when new). */
export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the migrations above the database's version, up to `target` if given.
 *
 * Each one and its version bump commit together, so a crash never leaves half a
 * migration behind.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS, target?: number): number {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migrations must be numbered 1..n without gaps; found ${migration.version} at ${index + 1}`);
    }
  });
  let version = schemaVersion(db);
  for (const migration of sorted) {
    if (migration.version <= version) continue;
    if (target !== undefined && migration.version > target) break;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    version = migration.version;
  }
  return version;
}
