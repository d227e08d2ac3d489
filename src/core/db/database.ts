/**
 * Opens the desktop's SQLite database: WAL, foreign keys, migrated to the latest version.
 */
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations.js';
import { MIGRATIONS, migrate } from './migrations.js';

export interface OpenDatabaseOptions {
  /**
   * Path of a better-sqlite3 native build to load instead of the default one. The
   * Electron host passes its own build (Electron's ABI differs from Node's).
   */
  nativeBinding?: string;
  migrations?: readonly Migration[];
}

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database {
  const db = new BetterSqlite3(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrations ?? MIGRATIONS);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
