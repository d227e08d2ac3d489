/**
 * Migration 7: tasks (src/shared/tasks.ts, docs/tasks.md).
 *
 * One row per task and repo; the record itself is JSON (it is parsed with TaskRecord on
 * every read), and the columns beside it are what lists filter and sort on. `tracked` is
 * 1 for a task this host requested and follows (its timeout, its queue), 0 for one
 * mirrored from the team's tasks bucket.
 */
import type { MigrationUp } from '../migrate.js';

const up: MigrationUp = (db) => {
  db.exec(`
      CREATE TABLE tasks (
        repo TEXT NOT NULL,
        id TEXT NOT NULL,
        phase TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        assigned_to TEXT,
        target TEXT NOT NULL,
        parent_id TEXT,
        tracked INTEGER NOT NULL CHECK (tracked IN (0, 1)),
        deadline INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (repo, id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX tasks_by_update ON tasks (updated_at);
      CREATE INDEX tasks_open ON tasks (tracked, phase);
  `);
};

export default up;
