/**
 * The migration runner: applies the numbered steps of `migrations/` that a database has
 * not seen yet, each in its own transaction with its version bump.
 */
import type { Database } from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index.js';

/** What one step file exports by default: the schema change itself. */
export type MigrationUp = (db: Database) => void;

export interface Migration {
  /**
   * 1, 2, 3 …: the order they apply in, and the number a database records in
   * `user_version` once the step is applied; never renumber a released one.
   */
  version: number;
  /** The step's file name without its extension, e.g. `0002-registry`. */
  name: string;
  up: MigrationUp;
}

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
