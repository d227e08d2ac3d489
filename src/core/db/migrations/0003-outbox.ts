/**
 * Migration 3: the outbox and the inbound de-duplication ledger.
 *
 * `outbox.seq` is the order messages go out in, per destination (`outbox_dest`). The
 * ledger remembers which message ids were already handed to a local agent, so a
 * JetStream redelivery or an outbox retry is dropped instead of delivered twice.
 */
import type { MigrationUp } from '../migrate.js';

const up: MigrationUp = (db) => {
  db.exec(`
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id TEXT NOT NULL UNIQUE,
        repo TEXT NOT NULL,
        to_agent TEXT NOT NULL,
        reason TEXT NOT NULL,
        message TEXT NOT NULL,
        traceparent TEXT NOT NULL,
        enqueued_at INTEGER NOT NULL,
        expires_at INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      ) STRICT;
      CREATE INDEX outbox_dest ON outbox (repo, to_agent, seq);
      CREATE TABLE inbound_seen (
        message_id TEXT PRIMARY KEY,
        seen_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX inbound_seen_at ON inbound_seen (seen_at);
  `);
};

export default up;
