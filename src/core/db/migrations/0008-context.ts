/**
 * Migration 8: the blackboard (docs/blackboard.md).
 *
 * One table for both boards a desktop may hold: `local`, this desktop's own board when
 * hybrid is off (written here, under the write rules), and `team`, the copy of the
 * team's KV bucket a watch keeps (so reads work offline). Each row is one revision;
 * the newest per key is the entry, the rest its history (at most 16 kept per key).
 */
import type { MigrationUp } from '../migrate.js';

const up: MigrationUp = (db) => {
  db.exec(`
      CREATE TABLE context_entries (
        scope TEXT NOT NULL CHECK (scope IN ('local', 'team')),
        repo TEXT NOT NULL,
        key TEXT NOT NULL,
        revision INTEGER NOT NULL,
        value TEXT,
        writer TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        expires_at INTEGER,
        operation TEXT NOT NULL CHECK (operation IN ('put', 'delete')),
        PRIMARY KEY (scope, repo, key, revision)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX context_entries_expiry ON context_entries (scope, expires_at) WHERE expires_at IS NOT NULL;
  `);
};

export default up;
