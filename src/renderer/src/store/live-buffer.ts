/**
 * The buffer between contract events and the store.
 *
 * Events accumulate here between frames and are folded, not queued: the buffer holds at
 * most one pending entry per agent plus the latest connection state, so its size stays
 * bounded by the number of agents even when frames stall (a hidden window).
 *
 * A snapshot (the answer of `agents.list` after a (re)connect) replaces everything that
 * came before it; events that arrive after it apply on top. Both transports deliver
 * results and events in order, so arrival order is the core's order.
 */
import type { ConnectionState } from '../../../shared/connection.js';
import type { AgentsChanged } from '../../../shared/contract.js';
import type { AgentInfo } from '../../../shared/domain.js';

/** The store's key of an agent: names are unique within a repo. */
export function agentKey(agent: { repo: string; name: string }): string {
  return `${agent.repo}/${agent.name}`;
}

/** What one flush hands to the store. */
export interface LiveBatch {
  /** When set, the agents map starts from these instead of the current map. */
  snapshot: AgentInfo[] | null;
  /** Per key: the new record, or null for a removal. Applied after the snapshot. */
  agentChanges: Map<string, AgentInfo | null>;
  /** The latest connection state seen, if any. */
  connection: ConnectionState | null;
  /** The highest registry revision seen, if any. */
  revision: number | null;
}

export class LiveBuffer {
  private snapshot: AgentInfo[] | null = null;
  private changes = new Map<string, AgentInfo | null>();
  private connection: ConnectionState | null = null;
  private revision: number | null = null;

  pushSnapshot(agents: AgentInfo[]): void {
    this.snapshot = agents;
    this.changes = new Map();
  }

  pushAgentsChanged(batch: AgentsChanged): void {
    for (const agent of batch.upserts) this.changes.set(agentKey(agent), agent);
    for (const ref of batch.removals) this.changes.set(agentKey(ref), null);
    this.revision = Math.max(this.revision ?? 0, batch.revision);
  }

  pushConnection(state: ConnectionState): void {
    this.connection = state;
  }

  get isEmpty(): boolean {
    return this.snapshot === null && this.changes.size === 0 && this.connection === null;
  }

  /** Hands over everything buffered and starts empty. */
  take(): LiveBatch {
    const batch: LiveBatch = {
      snapshot: this.snapshot,
      agentChanges: this.changes,
      connection: this.connection,
      revision: this.revision,
    };
    this.snapshot = null;
    this.changes = new Map();
    this.connection = null;
    this.revision = null;
    return batch;
  }
}

/**
 * The agents map after a batch: always a new Map (so selectors see the change), holding
 * the same record objects for agents that did not change (so rows do not re-render).
 */
export function applyAgentBatch(
  current: ReadonlyMap<string, AgentInfo>,
  batch: Pick<LiveBatch, 'snapshot' | 'agentChanges'>,
): Map<string, AgentInfo> {
  const next = batch.snapshot
    ? new Map(batch.snapshot.map((agent) => [agentKey(agent), agent] as const))
    : new Map(current);
  for (const [key, agent] of batch.agentChanges) {
    if (agent === null) next.delete(key);
    else next.set(key, agent);
  }
  return next;
}
