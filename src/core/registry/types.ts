/**
 * What the registry offers the rest of the core. The SQLite store implements it; the
 * supervisor, the gateway, the remote link and the router depend only on this.
 */
import type { AgentsChanged } from '../../shared/contract.js';
import type { AgentInfo, AgentLoad, AgentStatus, Location, Ownership } from '../../shared/domain.js';
import type { AgentQuery, AgentRef, SelectionStrategy } from '../../shared/registry-query.js';
import type { RemoteRecord } from './registry-input.js';

/** What a caller supplies to register; the registry fills in the rest. */
export interface RegistrationInput {
  name: string;
  type: string;
  location: Location;
  /** Defaults to ownershipOf(type). */
  ownership?: Ownership;
  repo: string;
  owner: string;
  endpoint?: string;
  instanceId: string;
  capabilities?: string[];
  tags?: Record<string, string>;
  load?: AgentLoad;
  metadata?: Record<string, unknown>;
  status?: AgentStatus;
}

export interface LivenessPolicy {
  /** Expected heartbeat interval when an agent does not say otherwise. */
  heartbeatIntervalMs: number;
  /** Missed intervals before `unreachable`. */
  failureThreshold: number;
  /** Silence after which an agent is `terminated`. */
  staleAfterMs: number;
  /** How long terminated agents are kept before deletion. */
  retainTerminatedMs: number;
}

export interface AgentRegistry {
  register(input: RegistrationInput): AgentInfo;
  deregister(ref: AgentRef): boolean;
  heartbeat(ref: AgentRef, load?: AgentLoad, status?: AgentStatus): AgentInfo;
  setStatus(ref: AgentRef, status: AgentStatus, metadata?: Record<string, unknown>): AgentInfo;
  get(ref: AgentRef): AgentInfo | undefined;
  discover(query?: AgentQuery): AgentInfo[];
  select(query: AgentQuery, strategy: SelectionStrategy): AgentInfo;
  /** Upserts remote records only when newer than what is held; returns how many changed. */
  applyRemote(records: AgentInfo[], revision: number): number;
  /**
   * applyRemote for records already parsed with the RemoteRecord schema (the remote link
   * parses each KV value where it arrives): the same rules, without parsing them again.
   */
  applyRemoteParsed(records: readonly RemoteRecord[], revision: number): number;
  /** Removes remote records the remote side deleted. */
  removeRemote(refs: AgentRef[], revision: number): number;
  /** Marks unreachable / terminated and deletes expired records; the clock is injectable. */
  sweep(now?: number): { unreachable: number; terminated: number; deleted: number };
  /** The current local revision (monotonic). */
  revision(): number;
  /** The highest remote revision applied, for resuming a watch. */
  remoteRevision(): number;
  /** Batched change feed: one call per batch, never one per row. */
  onChange(listener: (batch: AgentsChanged) => void): () => void;
}
