/**
 * Migration 1: the settings table.
 *
 * One row per settings key, its value as JSON text; the settings store reads and writes
 * whole values, so no column per setting.
 */
import type { MigrationUp } from '../migrate.js';

const up: MigrationUp = (db) => {
  db.exec(`CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT`);
};

export default up;
