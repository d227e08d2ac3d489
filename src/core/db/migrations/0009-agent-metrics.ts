/**
 * Migration 9: what per-agent statistics are computed from (src/core/metrics,
 * docs/tasks.md): finished tasks, the intervals an agent was up, and its restarts.
 *
 * Rows older than the longest window (7 days) are pruned. A task is counted once per
 * message id (a message can be seen when accepted and again when delivered). An open
 * interval (`ended_at` NULL) is the agent up now; `seen_at` is the last time this
 * desktop saw it so, where an interval left open by a crash is closed at the next start.
 */
import type { MigrationUp } from '../migrate.js';

const up: MigrationUp = (db) => {
  db.exec(`
      CREATE TABLE agent_task_events (
        message_id TEXT NOT NULL PRIMARY KEY,
        repo TEXT NOT NULL,
        agent TEXT NOT NULL,
        at INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'failed')),
        duration_ms INTEGER CHECK (duration_ms IS NULL OR duration_ms >= 0),
        input_tokens INTEGER NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
        output_tokens INTEGER NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
        cost_usd REAL NOT NULL DEFAULT 0 CHECK (cost_usd >= 0)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX agent_task_events_by_agent ON agent_task_events (repo, agent, at);
      CREATE INDEX agent_task_events_by_time ON agent_task_events (at);
      CREATE TABLE agent_up_intervals (
        repo TEXT NOT NULL,
        agent TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at INTEGER CHECK (ended_at IS NULL OR ended_at >= started_at),
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (repo, agent, started_at)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX agent_up_intervals_open ON agent_up_intervals (ended_at);
      CREATE TABLE agent_restarts (
        id INTEGER PRIMARY KEY,
        repo TEXT NOT NULL,
        agent TEXT NOT NULL,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX agent_restarts_by_agent ON agent_restarts (repo, agent, at);
  `);
};

export default up;
