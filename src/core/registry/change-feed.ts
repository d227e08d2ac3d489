/**
 * The registry's change feed: committed changes, coalesced into one AgentsChanged batch
 * per turn of the event loop.
 *
 * A burst (a thousand heartbeats, a remote snapshot, a sweep) reaches subscribers as
 * one batch, and each agent appears in it once, in its latest state: as an upsert, or
 * as a removal if the last thing that happened to it was deletion.
 */
import type { AgentsChanged } from '../../shared/contract.js';
import type { AgentInfo } from '../../shared/domain.js';
import type { AgentRef } from '../../shared/registry-query.js';
import { refKey } from './row-mapping.js';

type Pending = { kind: 'upsert'; agent: AgentInfo } | { kind: 'removal'; ref: AgentRef };
type Listener = (batch: AgentsChanged) => void;

/** Collects committed changes and delivers them in batches on the next macrotask. */
export class ChangeFeed {
  private readonly listeners = new Set<Listener>();
  private pending = new Map<string, Pending>();
  private scheduled = false;

  /** @param revision reads the registry's revision when a batch goes out. */
  constructor(private readonly revision: () => number) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Call only after the transaction that made the change has committed. */
  upserted(agent: AgentInfo): void {
    this.pending.set(refKey(agent.repo, agent.name), { kind: 'upsert', agent });
    this.schedule();
  }

  removed(ref: AgentRef): void {
    this.pending.set(refKey(ref.repo, ref.name), { kind: 'removal', ref: { repo: ref.repo, name: ref.name } });
    this.schedule();
  }

  /** Delivers what is pending now; the scheduled delivery calls this. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.size === 0) return;
    const batch: AgentsChanged = { revision: this.revision(), upserts: [], removals: [] };
    for (const change of this.pending.values()) {
      if (change.kind === 'upsert') batch.upserts.push(change.agent);
      else batch.removals.push(change.ref);
    }
    this.pending = new Map();
    for (const listener of [...this.listeners]) {
      try {
        listener(batch);
      } catch (error) {
        // One failing subscriber must not starve the others, nor the registry.
        console.error('[switchyard] registry change listener failed:', error);
      }
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate rather than a microtask: it also coalesces changes made across the
    // promise continuations of one I/O callback (a burst of gateway frames).
    setImmediate(() => this.flush());
  }
}
