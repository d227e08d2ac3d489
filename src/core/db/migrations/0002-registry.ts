/**
 * Migration 2: the registry mirror's tables.
 *
 * One row per agent in `agents`; capabilities and tags are kept twice on purpose: as JSON
 * on the row (so reading an agent never joins) and in `agent_attributes`, keyed by agent
 * (so a capability or tag filter is one primary-key probe per candidate, not a JSON scan). Both
 * are written in the same transaction, so they cannot drift.
 *
 * Few indexes, on purpose: every index is one more page each registration and heartbeat
 * writes, and with WAL every thousand pages cost a checkpoint (an fsync) that some write
 * has to wait for. Queries name a repo almost always (repos are isolated), and the
 * (repo, name) key narrows those to a few hundred rows; see docs/registry.md.
 */
import type { MigrationUp } from '../migrate.js';

const up: MigrationUp = (db) => {
  db.exec(`
      CREATE TABLE agents (
        id INTEGER PRIMARY KEY,
        repo TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        location TEXT NOT NULL CHECK (location IN ('local', 'remote')),
        ownership TEXT NOT NULL CHECK (ownership IN ('repo', 'user', 'task')),
        owner TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        registered_at INTEGER NOT NULL,
        last_heartbeat INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'idle', 'busy', 'unreachable', 'terminated')),
        capabilities TEXT NOT NULL,
        tags TEXT NOT NULL,
        load_current REAL NOT NULL,
        load_max REAL NOT NULL,
        metadata TEXT NOT NULL,
        -- The record's revision as reported: the local revision for records made here,
        -- the coordinator's for remote records (applyRemote compares against it).
        revision INTEGER NOT NULL,
        -- The local revision of the record's last change; the registry's revision after a
        -- reopen is the highest of these and the floor kept in registry_state.
        local_revision INTEGER NOT NULL,
        -- metadata.heartbeatIntervalMs, lifted out so the sweep stays one SQL statement.
        heartbeat_interval_ms INTEGER,
        -- When the status last changed, for the retention of terminated agents.
        status_changed_at INTEGER NOT NULL,
        -- 1 when the liveness sweep set the status, so a heartbeat may revive the agent.
        swept INTEGER NOT NULL DEFAULT 0,
        load_ratio REAL GENERATED ALWAYS AS
          (CASE WHEN load_max > 0 THEN load_current / load_max ELSE 0.0 END) VIRTUAL,
        UNIQUE (repo, name)
      ) STRICT;
      -- Serves discovery by repo and type, and finding an instance's other record of the
      -- same repo and type when it re-registers under a new name: one index, one page.
      CREATE INDEX agents_repo_type_instance ON agents (repo, type, instance_id);

      -- Capabilities (value '') and tags in one table: one page per registration, not two.
      CREATE TABLE agent_attributes (
        agent_id INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('capability', 'tag')),
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (agent_id, kind, name)
      ) STRICT, WITHOUT ROWID;

      -- 'revision' is a floor written when records are deleted (their revisions leave with
      -- them); 'remote_revision' is the highest remote revision applied.
      CREATE TABLE registry_state (
        key TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) STRICT;
      INSERT INTO registry_state (key, value) VALUES ('revision', 0), ('remote_revision', 0);
  `);
};

export default up;
