/**
 * The registry's SQL for single records and revisions, as prepared statements made once.
 *
 * Operations in sqlite-registry.ts compose these inside one transaction each; nothing
 * here opens a transaction of its own.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { AgentParams, AgentRow, AgentValues } from './row-mapping.js';
import { AGENT_COLUMNS, WRITE_COLUMNS } from './row-mapping.js';

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

/** What the batched remote writes need of a held record to decide whether to replace it. */
export interface HeldRow {
  id: number;
  name: string;
  location: AgentRow['location'];
  instance_id: string;
  status: AgentRow['status'];
  status_changed_at: number;
  revision: number;
  capabilities: string;
  tags: string;
}

/** Rows per multi-row INSERT; smaller remainders go in power-of-two chunks. */
const INSERT_CHUNK = 32;

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
  private readonly heldByName: Statement<[{ repo: string; names: string }], HeldRow>;
  private readonly updateValues: Statement<unknown[], unknown>;
  private readonly insertValues = new Map<number, Statement<unknown[], number>>();
  private readonly deleteAttributesOf: Statement<[string], unknown>;
  private readonly insertAttributesOf: Statement<[{ ids: string }], unknown>;

  constructor(private readonly db: Database) {
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

    // The batched writes of remote records. json_each() takes a whole batch of names or
    // ids as one JSON array, so a batch costs a few statements, not a few per record;
    // CROSS JOIN keeps json_each outermost, one primary-key or (repo, name) probe per value.
    this.heldByName = db.prepare(
      'SELECT a.id, a.name, a.location, a.instance_id, a.status, a.status_changed_at, a.revision, a.capabilities, a.tags ' +
        'FROM json_each(@names) j CROSS JOIN agents a ON a.repo = @repo AND a.name = j.value',
    );
    this.updateValues = db.prepare(
      `UPDATE agents SET (${WRITE_COLUMNS.join(', ')}) = (${WRITE_COLUMNS.map(() => '?').join(', ')}) WHERE id = ?`,
    );
    this.deleteAttributesOf = db.prepare(
      'DELETE FROM agent_attributes WHERE agent_id IN (SELECT j.value FROM json_each(?) j)',
    );
    // The side table filled from the rows' own JSON, inside SQLite: the rows were just
    // written with exactly these capabilities and tags, so the two cannot disagree.
    this.insertAttributesOf = db.prepare(
      'INSERT OR IGNORE INTO agent_attributes (agent_id, kind, name, value) ' +
        "SELECT a.id, 'capability', c.value, '' FROM json_each(@ids) j CROSS JOIN agents a ON a.id = j.value, json_each(a.capabilities) c " +
        'UNION ALL ' +
        "SELECT a.id, 'tag', t.key, t.value FROM json_each(@ids) j CROSS JOIN agents a ON a.id = j.value, json_each(a.tags) t",
    );
  }

  /** The held records among `names` of one repo (those that exist). */
  findMany(repo: string, names: readonly string[]): HeldRow[] {
    return this.heldByName.all({ repo, names: JSON.stringify(names) });
  }

  /**
   * Inserts whole records (WRITE_COLUMNS order) with multi-row statements; returns the
   * new ids, in no particular order. Attributes are not written: see writeAttributes.
   */
  insertMany(rows: readonly AgentValues[]): number[] {
    const ids: number[] = [];
    for (let start = 0; start < rows.length; ) {
      let size = INSERT_CHUNK;
      while (size > rows.length - start) size >>= 1;
      const values: unknown[] = [];
      for (let i = start; i < start + size; i++) {
        for (const value of rows[i]!) values.push(value);
      }
      for (const id of this.insertStatement(size).all(values)) ids.push(id);
      start += size;
    }
    return ids;
  }

  /** Rewrites a whole record in place (WRITE_COLUMNS order); attributes are not touched. */
  updateMany(updates: ReadonlyArray<{ id: number; values: AgentValues }>): void {
    for (const { id, values } of updates) this.updateValues.run(...values, id);
  }

  /**
   * Rebuilds the capabilities and tags in agent_attributes of `ids` from their rows' JSON.
   * `replace`: the records had attributes before (delete them first).
   */
  writeAttributes(ids: readonly number[], replace: boolean): void {
    if (ids.length === 0) return;
    const list = JSON.stringify(ids);
    if (replace) this.deleteAttributesOf.run(list);
    this.insertAttributesOf.run({ ids: list });
  }

  private insertStatement(size: number): Statement<unknown[], number> {
    let statement = this.insertValues.get(size);
    if (!statement) {
      const row = `(${WRITE_COLUMNS.map(() => '?').join(', ')})`;
      statement = this.db
        .prepare<unknown[], number>(
          `INSERT INTO agents (${WRITE_COLUMNS.join(', ')}) VALUES ${Array.from({ length: size }, () => row).join(', ')} RETURNING id`,
        )
        .pluck();
      this.insertValues.set(size, statement);
    }
    return statement;
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
