/**
 * Migration 4: message traces and their hops.
 *
 * One row per message (the summary the traces table lists) and one row per hop. Hops
 * cascade with their message so retention deletes whole traces, never half of one.
 */
import type { MigrationUp } from '../migrate.js';

const up: MigrationUp = (db) => {
  db.exec(`
      CREATE TABLE traces (
        message_id TEXT PRIMARY KEY,
        trace_id TEXT NOT NULL,
        repo TEXT NOT NULL,
        from_agent TEXT NOT NULL,
        to_agent TEXT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT,
        body_truncated INTEGER NOT NULL DEFAULT 0,
        route TEXT,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX traces_created ON traces (created_at, message_id);
      CREATE INDEX traces_from ON traces (from_agent, created_at);
      CREATE INDEX traces_to ON traces (to_agent, created_at);
      CREATE TABLE trace_hops (
        message_id TEXT NOT NULL REFERENCES traces (message_id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        hop_where TEXT NOT NULL,
        event TEXT NOT NULL,
        detail TEXT NOT NULL,
        PRIMARY KEY (message_id, seq)
      ) STRICT, WITHOUT ROWID;
  `);
};

export default up;
