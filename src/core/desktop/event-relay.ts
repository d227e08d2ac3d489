/**
 * Forwards the events of every repo core as the desktop's own.
 *
 * Most events carry their repo and pass as they are. Three describe the whole desktop
 * and are rebuilt: `connection.changed` is the primary's link (the one Settings edits);
 * `approvals.changed` carries the badge, so its `pending` counts every repo's; and
 * `problems.changed` carries the whole list, so it lists every repo's.
 */
import type { EventName, EventPayload } from '../../shared/contract.js';
import { eventNames } from '../../shared/contract.js';
import type { Problem } from '../../shared/problems.js';
import type { Core } from '../core.js';
import type { EventHub } from '../events.js';
import { mergeProblems } from './merge-results.js';

interface Attached {
  pending: number;
  problems: Problem[];
  stop: Array<() => void>;
}

export class EventRelay {
  /** Insertion order: the primary first, then the other repos as they were added. */
  private readonly attached = new Map<Core, Attached>();

  constructor(private readonly hub: EventHub) {}

  /** Starts forwarding a core's events; reads its pending approvals and problems first. */
  async attach(core: Core, primary: boolean): Promise<void> {
    const pending = (await core.handlers['approvals.list']({ state: 'pending' })).length;
    const problems = await core.handlers['problems.list']();
    const state: Attached = { pending, problems, stop: [] };
    this.attached.set(core, state);
    for (const event of eventNames) {
      if (event === 'connection.changed' && !primary) continue;
      state.stop.push(core.on(event, (payload) => this.forward(state, event, payload)));
    }
  }

  /**
   * Stops forwarding a core's events (its repo left the desktop), and tells listeners
   * its agents and problems are gone from the board.
   */
  detach(core: Core): void {
    const state = this.attached.get(core);
    if (!state) return;
    for (const stop of state.stop) stop();
    this.attached.delete(core);
    const repo = core.config().repo;
    const removals = core.registry.discover({ repo }).map((agent) => ({ repo: agent.repo, name: agent.name }));
    if (removals.length > 0) this.hub.emit('agents.changed', { revision: core.registry.revision(), upserts: [], removals });
    if (state.problems.length > 0) this.hub.emit('problems.changed', { problems: this.allProblems(), raised: [] });
    if (state.pending > 0) this.hub.emit('approvals.changed', { changed: [], pending: this.allPending() });
  }

  private forward<E extends EventName>(state: Attached, event: E, payload: EventPayload<E>): void {
    if (event === 'approvals.changed') {
      const change = payload as EventPayload<'approvals.changed'>;
      state.pending = change.pending;
      this.hub.emit('approvals.changed', { ...change, pending: this.allPending() });
      return;
    }
    if (event === 'problems.changed') {
      const change = payload as EventPayload<'problems.changed'>;
      state.problems = change.problems;
      this.hub.emit('problems.changed', { ...change, problems: this.allProblems() });
      return;
    }
    this.hub.emit(event, payload);
  }

  private allPending(): number {
    let sum = 0;
    for (const state of this.attached.values()) sum += state.pending;
    return sum;
  }

  private allProblems(): Problem[] {
    return mergeProblems([...this.attached.values()].map((state) => state.problems));
  }
}
