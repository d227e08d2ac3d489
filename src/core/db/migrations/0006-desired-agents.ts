/**
 * Migration 6: the agents the user wants running, and the types that start by
 * themselves in a repo.
 *
 * The registry holds what runs; these hold what was asked for, so a restart of the app
 * (a crash or kill -9 included) starts the same agents again and a stop is remembered.
 * `wanted` is the last word of the user: `running` after a start, `stopped` after a stop.
 */
import type { MigrationUp } from '../migrate.js';

const up: MigrationUp = (db) => {
  db.exec(`
      CREATE TABLE desired_agents (
        repo TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        workspace TEXT,
        isolation TEXT,
        wanted TEXT NOT NULL CHECK (wanted IN ('running', 'stopped')),
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (repo, name)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE autostart_types (
        repo TEXT NOT NULL,
        type TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (repo, type)
      ) STRICT, WITHOUT ROWID;
  `);
};

export default up;
