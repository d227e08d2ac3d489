/**
 * Between `agents` rows and AgentInfo records.
 *
 * Reads select the columns in a fixed order and map them here, so a discovery result
 * costs one pass over the rows and three small JSON.parse calls per agent.
 */
import type { AgentInfo, AgentStatus, Location, Ownership } from '../../shared/domain.js';

/** The columns every read selects, in this order (`a` is the agents table's alias). */
export const AGENT_COLUMNS =
  'a.id, a.repo, a.name, a.type, a.location, a.ownership, a.owner, a.endpoint, a.instance_id, ' +
  'a.registered_at, a.last_heartbeat, a.status, a.capabilities, a.tags, a.load_current, a.load_max, ' +
  'a.metadata, a.revision, a.status_changed_at, a.swept';

/** The same columns for a RETURNING clause, which cannot use a table alias. */
export const RETURNING_COLUMNS = AGENT_COLUMNS.replace(/\ba\./g, '');

/** The columns a row and the upsert parameters share, named as in the table. */
interface AgentColumns {
  repo: string;
  name: string;
  type: string;
  location: Location;
  ownership: Ownership;
  owner: string;
  endpoint: string;
  instance_id: string;
  registered_at: number;
  last_heartbeat: number;
  status: AgentStatus;
  capabilities: string;
  tags: string;
  load_current: number;
  load_max: number;
  metadata: string;
  revision: number;
  status_changed_at: number;
  swept: number;
}

/** One `agents` row as read with AGENT_COLUMNS. */
export interface AgentRow extends AgentColumns {
  id: number;
}

/** Empty JSON is the common case; skipping the parser for it is measurable in discovery. */
function parseObject(text: string): Record<string, never> {
  return text === '{}' ? {} : JSON.parse(text);
}

function parseArray(text: string): string[] {
  return text === '[]' ? [] : JSON.parse(text);
}

/** The record a row stands for. */
export function rowToAgent(row: AgentRow): AgentInfo {
  return {
    name: row.name,
    type: row.type,
    location: row.location,
    ownership: row.ownership,
    repo: row.repo,
    owner: row.owner,
    endpoint: row.endpoint,
    instanceId: row.instance_id,
    registeredAt: row.registered_at,
    lastHeartbeat: row.last_heartbeat,
    status: row.status,
    capabilities: parseArray(row.capabilities),
    tags: parseObject(row.tags),
    load: { current: row.load_current, max: row.load_max },
    metadata: parseObject(row.metadata),
    revision: row.revision,
  };
}

/** The agent's own heartbeat interval from its metadata, when it gave a usable one. */
export function heartbeatIntervalOf(metadata: Record<string, unknown>): number | null {
  const value = metadata['heartbeatIntervalMs'];
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

/** The named parameters of the agent upsert statements. */
export interface AgentParams extends AgentColumns {
  local_revision: number;
  heartbeat_interval_ms: number | null;
}

/**
 * The statement parameters of a whole record.
 *
 * @param localRevision the local revision of this change (equal to agent.revision for
 *   records made here; remote records carry the coordinator's in agent.revision).
 */
export function agentToParams(
  agent: AgentInfo,
  localRevision: number,
  statusChangedAt: number,
  swept: boolean,
): AgentParams {
  return {
    repo: agent.repo,
    name: agent.name,
    type: agent.type,
    location: agent.location,
    ownership: agent.ownership,
    owner: agent.owner,
    endpoint: agent.endpoint,
    instance_id: agent.instanceId,
    registered_at: agent.registeredAt,
    last_heartbeat: agent.lastHeartbeat,
    status: agent.status,
    capabilities: JSON.stringify(agent.capabilities),
    tags: JSON.stringify(agent.tags),
    load_current: agent.load.current,
    load_max: agent.load.max,
    metadata: JSON.stringify(agent.metadata),
    revision: agent.revision,
    local_revision: localRevision,
    heartbeat_interval_ms: heartbeatIntervalOf(agent.metadata),
    status_changed_at: statusChangedAt,
    swept: swept ? 1 : 0,
  };
}

/**
 * The columns a whole-record write binds, in order: the positional form of AgentParams
 * that the batched remote writes use (a multi-row INSERT cannot take named parameters).
 */
export const WRITE_COLUMNS = [
  'repo',
  'name',
  'type',
  'location',
  'ownership',
  'owner',
  'endpoint',
  'instance_id',
  'registered_at',
  'last_heartbeat',
  'status',
  'capabilities',
  'tags',
  'load_current',
  'load_max',
  'metadata',
  'revision',
  'local_revision',
  'heartbeat_interval_ms',
  'status_changed_at',
  'swept',
] as const satisfies ReadonlyArray<keyof AgentParams>;

/** A whole-record write as positional values, in WRITE_COLUMNS order. */
export type AgentValues = unknown[];

/** agentToParams, positional (WRITE_COLUMNS order), for a record that was not swept. */
export function agentToValues(agent: AgentInfo, localRevision: number, statusChangedAt: number): AgentValues {
  return [
    agent.repo,
    agent.name,
    agent.type,
    agent.location,
    agent.ownership,
    agent.owner,
    agent.endpoint,
    agent.instanceId,
    agent.registeredAt,
    agent.lastHeartbeat,
    agent.status,
    JSON.stringify(agent.capabilities),
    JSON.stringify(agent.tags),
    agent.load.current,
    agent.load.max,
    JSON.stringify(agent.metadata),
    agent.revision,
    localRevision,
    heartbeatIntervalOf(agent.metadata),
    statusChangedAt,
    0,
  ];
}

/** Positions in AgentValues that the batched writes read back. */
export const VALUE_INDEX = {
  repo: WRITE_COLUMNS.indexOf('repo'),
  name: WRITE_COLUMNS.indexOf('name'),
  capabilities: WRITE_COLUMNS.indexOf('capabilities'),
  tags: WRITE_COLUMNS.indexOf('tags'),
} as const;

/** The `repo/name` key the change feed and round-robin cursors use. */
export function refKey(repo: string, name: string): string {
  return `${repo}/${name}`;
}
