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
import type { TraceSummary } from '../../../shared/routing-contract.js';

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
  /** When set, the trace list starts from these (the first page of `traces.query`). */
  traceSnapshot: TraceSummary[] | null;
  /** New or changed traces by message id, the newest version of each. */
  traceChanges: Map<string, TraceSummary>;
}

export class LiveBuffer {
  private snapshot: AgentInfo[] | null = null;
  private changes = new Map<string, AgentInfo | null>();
  private connection: ConnectionState | null = null;
  private revision: number | null = null;
  private traceSnapshot: TraceSummary[] | null = null;
  private traceChanges = new Map<string, TraceSummary>();

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

  /** The first page of traces after a (re)connect: replaces the traces buffered before it. */
  pushTraceSnapshot(items: TraceSummary[]): void {
    this.traceSnapshot = items;
    this.traceChanges = new Map();
  }

  /**
   * A `messages.routed` batch or a further page. Folded per message: only its newest
   * summary waits, so the buffer stays bounded by the messages of one frame.
   */
  pushTraces(items: readonly TraceSummary[]): void {
    for (const item of items) {
      const known = this.traceChanges.get(item.messageId);
      if (known === undefined || item.updatedAt >= known.updatedAt) this.traceChanges.set(item.messageId, item);
    }
  }

  get isEmpty(): boolean {
    return (
      this.snapshot === null &&
      this.changes.size === 0 &&
      this.connection === null &&
      this.traceSnapshot === null &&
      this.traceChanges.size === 0
    );
  }

  /** Hands over everything buffered and starts empty. */
  take(): LiveBatch {
    const batch: LiveBatch = {
      snapshot: this.snapshot,
      agentChanges: this.changes,
      connection: this.connection,
      revision: this.revision,
      traceSnapshot: this.traceSnapshot,
      traceChanges: this.traceChanges,
    };
    this.traceSnapshot = null;
    this.traceChanges = new Map();
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
