/**
 * Migration 5: the person at the desktop — their conversations, the approvals asked of
 * them, and the usage of the tasks the desktop saw finish.
 *
 * A conversation row is one message to or from the person, once per direction (a
 * redelivered message is not kept twice); `seq` orders them as they arrived. Usage is
 * counted once per (agent, repo, task, message): a retried delivery counts nothing more.
 */
import type { MigrationUp } from '../migrate.js';

const up: MigrationUp = (db) => {
  db.exec(`
      CREATE TABLE conversation (
        seq INTEGER PRIMARY KEY,
        message_id TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
        peer TEXT NOT NULL,
        repo TEXT NOT NULL,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        task_id TEXT,
        UNIQUE (message_id, direction)
      ) STRICT;
      CREATE INDEX conversation_peer ON conversation (peer, seq);
      CREATE TABLE approvals (
        approval_id TEXT PRIMARY KEY,
        from_agent TEXT NOT NULL,
        repo TEXT NOT NULL,
        message_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        tool TEXT NOT NULL,
        summary TEXT NOT NULL,
        input TEXT NOT NULL,
        cwd TEXT NOT NULL,
        requested_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'granted', 'denied', 'expired')),
        answered_at INTEGER
      ) STRICT;
      CREATE INDEX approvals_state ON approvals (state, requested_at);
      CREATE TABLE task_usage (
        agent TEXT NOT NULL,
        repo TEXT NOT NULL,
        task_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cached_input_tokens INTEGER NOT NULL,
        cost_usd REAL,
        duration_ms INTEGER NOT NULL,
        PRIMARY KEY (agent, repo, task_id, message_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX task_usage_at ON task_usage (at);
  `);
};

export default up;
