/**
 * Opens the desktop's SQLite database: owner-only (0600), WAL, foreign keys, migrated to
 * the latest version.
 */
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import type { Migration } from './migrate.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { ensurePrivateFile, tightenIfPresent } from '../private-files.js';

export interface OpenDatabaseOptions {
  /**
   * Path of a better-sqlite3 native build to load instead of the default one. The
   * Electron host passes its own build (Electron's ABI differs from Node's).
   */
  nativeBinding?: string;
  migrations?: readonly Migration[];
}

/**
 * Opens (or creates) the database file.
 *
 * The file is created 0600 before SQLite opens it: SQLite gives its -wal and -shm files
 * the database file's mode, so all three stay owner-only. Those two are tightened too,
 * in case an older version left them readable.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database {
  const onDisk = file !== ':memory:' && file !== '';
  if (onDisk) ensurePrivateFile(file);
  const db = new BetterSqlite3(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrations ?? MIGRATIONS);
    if (onDisk) for (const suffix of ['-wal', '-shm', '-journal']) tightenIfPresent(`${file}${suffix}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
