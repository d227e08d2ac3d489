/**
 * Turns an AgentQuery into SQL and runs it through a cache of prepared statements.
 *
 * Every filter becomes an indexed condition: plain columns for repo, type, location,
 * ownership, owner and status; EXISTS probes into agent_attributes by primary key;
 * the generated `load_ratio` column for maxLoad. The SQL text depends only on the
 * query's shape (which filters, how many capabilities, tags and statuses, the sort), so
 * it doubles as the cache key and values always travel as bound parameters.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { AgentQuery } from '../../shared/registry-query.js';
import { assertNever } from '../../shared/errors.js';
import type { AgentRow } from './row-mapping.js';
import { AGENT_COLUMNS } from './row-mapping.js';

/** Statuses an agent must have to be chosen by select(). */
export const SELECTABLE_STATUSES = ['active', 'idle', 'busy'] as const;

/** A row read for selection: the record plus what the availability score needs. */
export interface CandidateRow extends AgentRow {
  heartbeat_interval_ms: number | null;
}

interface Filters {
  where: string;
  params: unknown[];
}

/**
 * The WHERE clause of a query.
 *
 * `selectable` adds the rules select() never bends: not unreachable or terminated, and
 * not fully loaded (current ≥ max when max > 0; max 0 means no declared limit).
 */
export function buildFilters(query: AgentQuery, selectable: boolean): Filters {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const equals = (column: string, value: string | undefined): void => {
    if (value === undefined) return;
    clauses.push(`a.${column} = ?`);
    params.push(value);
  };
  equals('repo', query.repo);
  equals('type', query.type);
  equals('location', query.location);
  equals('ownership', query.ownership);
  equals('owner', query.owner);

  // An empty status list means "no status filter", like an untouched filter in the UI.
  const statuses = [...new Set(query.status ?? [])];
  if (statuses.length > 0) {
    clauses.push(`a.status IN (${statuses.map(() => '?').join(', ')})`);
    params.push(...statuses);
  }
  if (selectable) {
    clauses.push(`a.status IN (${SELECTABLE_STATUSES.map((s) => `'${s}'`).join(', ')})`);
    clauses.push('(a.load_max = 0 OR a.load_current < a.load_max)');
  }
  if (query.maxLoad !== undefined) {
    clauses.push('a.load_ratio <= ?');
    params.push(query.maxLoad);
  }
  if (query.text) {
    clauses.push('instr(lower(a.name), ?) > 0');
    params.push(query.text.toLowerCase());
  }
  for (const capability of new Set(query.capabilities ?? [])) {
    clauses.push(
      "EXISTS (SELECT 1 FROM agent_attributes x WHERE x.agent_id = a.id AND x.kind = 'capability' AND x.name = ?)",
    );
    params.push(capability);
  }
  const tags = new Map<string, Set<string>>();
  const addTag = (key: string, value: string): void => {
    const values = tags.get(key) ?? new Set<string>();
    values.add(value);
    tags.set(key, values);
  };
  for (const [key, value] of Object.entries(query.tags ?? {})) addTag(key, value);
  if (query.region !== undefined) addTag('region', query.region);
  for (const [key, values] of tags) {
    for (const value of values) {
      clauses.push(
        "EXISTS (SELECT 1 FROM agent_attributes x WHERE x.agent_id = a.id AND x.kind = 'tag' AND x.name = ? AND x.value = ?)",
      );
      params.push(key, value);
    }
  }
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** ORDER BY for discovery; ties always fall back to name and repo so pages are stable. */
export function orderBy(query: AgentQuery): string {
  const direction = query.order === 'desc' ? 'DESC' : 'ASC';
  const sort = query.sort ?? 'name';
  switch (sort) {
    case 'name':
      // Case-insensitive, as people read names. It also keeps the planner from walking the
      // (repo, name) key just to skip a sort, when (repo, type) would read far fewer rows.
      return `ORDER BY a.name COLLATE NOCASE ${direction}, a.name ${direction}, a.repo ${direction}`;
    case 'type':
      return `ORDER BY a.type ${direction}, a.repo, a.name`;
    case 'load':
      return `ORDER BY a.load_ratio ${direction}, a.load_current ${direction}, a.repo, a.name`;
    case 'lastHeartbeat':
      return `ORDER BY a.last_heartbeat ${direction}, a.repo, a.name`;
    case 'registeredAt':
      return `ORDER BY a.registered_at ${direction}, a.repo, a.name`;
    default:
      return assertNever(sort);
  }
}

/** Runs queries through prepared statements cached by their SQL text. */
export class QueryRunner {
  private readonly cache = new Map<string, Statement>();

  /** @param capacity how many distinct query shapes stay prepared (least recently used go). */
  constructor(
    private readonly db: Database,
    private readonly capacity = 256,
  ) {}

  discover(query: AgentQuery): AgentRow[] {
    const { where, params } = buildFilters(query, false);
    let sql = `SELECT ${AGENT_COLUMNS} FROM agents a ${where} ${orderBy(query)}`;
    if (query.limit !== undefined) {
      sql += ' LIMIT ?';
      params.push(query.limit);
    }
    return this.statement<AgentRow>(sql).all(...params);
  }

  /** The selectable agent with the lowest load ratio, then the lowest current load. */
  leastLoaded(query: AgentQuery): AgentRow | undefined {
    const { where, params } = buildFilters(query, true);
    const sql =
      `SELECT ${AGENT_COLUMNS} FROM agents a ${where} ` +
      'ORDER BY a.load_ratio, a.load_current, a.last_heartbeat DESC, a.repo, a.name LIMIT 1';
    return this.statement<AgentRow>(sql).get(...params);
  }

  /** The first selectable agent after `cursor` in (repo, name) order, wrapping around. */
  nextAfter(query: AgentQuery, cursor: { repo: string; name: string } | undefined): AgentRow | undefined {
    const { where, params } = buildFilters(query, true);
    const order = 'ORDER BY a.repo, a.name LIMIT 1';
    if (cursor) {
      const after = `${where ? `${where} AND` : 'WHERE'} (a.repo, a.name) > (?, ?)`;
      const next = this.statement<AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agents a ${after} ${order}`).get(
        ...params,
        cursor.repo,
        cursor.name,
      );
      if (next) return next;
    }
    return this.statement<AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agents a ${where} ${order}`).get(...params);
  }

  /** Every selectable agent, with what the availability score needs. */
  candidates(query: AgentQuery): CandidateRow[] {
    const { where, params } = buildFilters(query, true);
    const sql = `SELECT ${AGENT_COLUMNS}, a.heartbeat_interval_ms FROM agents a ${where} ORDER BY a.repo, a.name`;
    return this.statement<CandidateRow>(sql).all(...params);
  }

  private statement<Row>(sql: string): Statement<unknown[], Row> {
    let statement = this.cache.get(sql);
    if (statement) {
      // Re-inserting moves it to the back: the Map's order is the recency order.
      this.cache.delete(sql);
    } else {
      statement = this.db.prepare(sql);
      if (this.cache.size >= this.capacity) {
        const oldest = this.cache.keys().next().value;
        if (oldest !== undefined) this.cache.delete(oldest);
      }
    }
    this.cache.set(sql, statement);
    return statement as Statement<unknown[], Row>;
  }
}
