/**
 * The registry's SQL for single records and revisions, as prepared statements made once.
 *
 * Operations in sqlite-registry.ts compose these inside one transaction each; nothing
 * here opens a transaction of its own.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { AgentParams, AgentRow } from './row-mapping.js';
import { AGENT_COLUMNS } from './row-mapping.js';

type StateKey = 'revision' | 'remote_revision';
type AttributeKind = 'capability' | 'tag';

/** The columns heartbeat and setStatus may change. */
type LivenessParams = Pick<
  AgentParams,
  | 'last_heartbeat'
  | 'status'
  | 'load_current'
  | 'load_max'
  | 'metadata'
  | 'revision'
  | 'local_revision'
  | 'heartbeat_interval_ms'
  | 'status_changed_at'
  | 'swept'
> & { id: number };

/** Prepared statements over `agents`, its side tables and `registry_state`. */
export class AgentStore {
  private readonly byRef: Statement<[string, string], AgentRow>;
  private readonly byInstance: Statement<[string, string, string], AgentRow>;
  private readonly insertRow: Statement<[AgentParams], unknown>;
  private readonly updateRow: Statement<[AgentParams & { id: number }], unknown>;
  private readonly updateLiveness: Statement<[LivenessParams], unknown>;
  private readonly deleteRow: Statement<[number], unknown>;
  private readonly deleteAttributes: Statement<[number, AttributeKind], unknown>;
  private readonly insertAttribute: Statement<[number, AttributeKind, string, string], unknown>;
  private readonly readState: Statement<[StateKey], { value: number }>;
  private readonly writeState: Statement<[number, StateKey], unknown>;
  private readonly maxLocalRevision: Statement<[], { value: number | null }>;

  constructor(db: Database) {
    this.byRef = db.prepare(`SELECT ${AGENT_COLUMNS} FROM agents a WHERE a.repo = ? AND a.name = ?`);
    this.byInstance = db.prepare(
      `SELECT ${AGENT_COLUMNS} FROM agents a WHERE a.repo = ? AND a.type = ? AND a.instance_id = ?`,
    );
    const columns =
      'repo, name, type, location, ownership, owner, endpoint, instance_id, registered_at, last_heartbeat, ' +
      'status, capabilities, tags, load_current, load_max, metadata, revision, local_revision, ' +
      'heartbeat_interval_ms, ' +
      'status_changed_at, swept';
    const names = columns.split(', ');
    this.insertRow = db.prepare(
      `INSERT INTO agents (${columns}) VALUES (${names.map((n) => '@' + n).join(', ')})`,
    );
    this.updateRow = db.prepare(`UPDATE agents SET ${names.map((n) => `${n} = @${n}`).join(', ')} WHERE id = @id`);
    // Only what heartbeat and setStatus change: leaving the key columns out of SET keeps
    // the indexes out of the write (one page instead of three).
    const live: Array<keyof LivenessParams> = [
      'last_heartbeat',
      'status',
      'load_current',
      'load_max',
      'metadata',
      'revision',
      'local_revision',
      'heartbeat_interval_ms',
      'status_changed_at',
      'swept',
    ];
    this.updateLiveness = db.prepare(`UPDATE agents SET ${live.map((n) => `${n} = @${n}`).join(', ')} WHERE id = @id`);
    this.deleteRow = db.prepare('DELETE FROM agents WHERE id = ?');
    this.deleteAttributes = db.prepare('DELETE FROM agent_attributes WHERE agent_id = ? AND kind = ?');
    this.insertAttribute = db.prepare(
      'INSERT OR IGNORE INTO agent_attributes (agent_id, kind, name, value) VALUES (?, ?, ?, ?)',
    );
    this.readState = db.prepare('SELECT value FROM registry_state WHERE key = ?');
    this.writeState = db.prepare('UPDATE registry_state SET value = ? WHERE key = ?');
    this.maxLocalRevision = db.prepare('SELECT MAX(local_revision) AS value FROM agents');
  }

  find(repo: string, name: string): AgentRow | undefined {
    return this.byRef.get(repo, name);
  }

  /** The records of an instance within one repo and type. */
  findByInstance(repo: string, type: string, instanceId: string): AgentRow[] {
    return this.byInstance.all(repo, type, instanceId);
  }

  /**
   * Writes a whole record: updates `existing` in place (keeping its id) or inserts.
   *
   * The attributes are rewritten only when the capabilities or tags changed, which keeps
   * re-registration and heartbeats to one row write.
   */
  write(params: AgentParams, existing: AgentRow | undefined): number {
    let id: number;
    if (existing) {
      id = existing.id;
      this.updateRow.run({ ...params, id });
    } else {
      id = Number(this.insertRow.run(params).lastInsertRowid);
    }
    if (!existing || existing.capabilities !== params.capabilities) {
      if (existing) this.deleteAttributes.run(id, 'capability');
      for (const capability of JSON.parse(params.capabilities) as string[]) {
        this.insertAttribute.run(id, 'capability', capability, '');
      }
    }
    if (!existing || existing.tags !== params.tags) {
      if (existing) this.deleteAttributes.run(id, 'tag');
      for (const [key, value] of Object.entries(JSON.parse(params.tags) as Record<string, string>)) {
        this.insertAttribute.run(id, 'tag', key, value);
      }
    }
    return id;
  }

  /**
   * Writes back a record whose identity, capabilities and tags are unchanged: the
   * heartbeat and status path.
   */
  writeLiveness(params: AgentParams, id: number): void {
    // Only the bound names: the statement has no parameters for the key columns.
    this.updateLiveness.run({
      id,
      last_heartbeat: params.last_heartbeat,
      status: params.status,
      load_current: params.load_current,
      load_max: params.load_max,
      metadata: params.metadata,
      revision: params.revision,
      local_revision: params.local_revision,
      heartbeat_interval_ms: params.heartbeat_interval_ms,
      status_changed_at: params.status_changed_at,
      swept: params.swept,
    });
  }

  /**
   * Deletes a record with its attributes (capabilities and tags).
   *
   * Explicitly, not by ON DELETE CASCADE alone: a connection opened without
   * `foreign_keys = ON` must not leave orphans that a capability filter would still see.
   */
  delete(id: number): void {
    this.deleteAttributes.run(id, 'capability');
    this.deleteAttributes.run(id, 'tag');
    this.deleteRow.run(id);
  }

  state(key: StateKey): number {
    return this.readState.get(key)?.value ?? 0;
  }

  /**
   * The registry's revision as committed: the highest local revision a record carries, or
   * the floor written at the last deletion if that is higher. Scans once, at open.
   */
  committedRevision(): number {
    return Math.max(this.state('revision'), this.maxLocalRevision.get()?.value ?? 0);
  }

  setState(key: StateKey, value: number): void {
    this.writeState.run(value, key);
  }
}
