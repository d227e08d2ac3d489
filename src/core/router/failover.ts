/**
 * Failover of a role send: the chosen instance went away before it accepted the
 * message, so another instance gets it (docs/routing.md, Dispatch and broadcast).
 *
 * Accepted means delivered to a local agent, or, for a remote one, a `received`,
 * `delivered` or `answered` receipt on the message's trace. Until then:
 * - a local pick that could not take it (its process is gone: the router queued the
 *   message) fails over at once;
 * - a remote pick is watched: when the registry reports it unreachable or terminated
 *   (or removes it), a message still in our outbox is taken back, and one already
 *   published is sent again elsewhere (the lost copy stays in the dead agent's inbox
 *   and would reach it if it came back).
 * The lost message gets a `failover` hop naming the new recipient; the new message,
 * under the same trace id, starts with a `failover` hop saying why. With no other
 * instance free the message stays where it was.
 */
import type { AgentsChanged } from '../../shared/contract.js';
import type { Location } from '../../shared/domain.js';
import type { DestinationView } from '../../shared/route-decision.js';
import type { SendResult } from '../../shared/routing-contract.js';
import type { AgentRegistry } from '../registry/index.js';
import { isLive } from '../registry/index.js';
import type { TraceStore } from '../traces/trace-store.js';
import type { SendRequest } from './message-input.js';
import type { Outbox } from './outbox.js';
import type { RouteOrigin } from './types.js';
import type { WorkloadLedger } from './workload.js';
import { taskIdOf } from './workload.js';

type Request = SendRequest & { repo: string };

export interface FailoverDeps {
  registry: Pick<AgentRegistry, 'onChange'>;
  outbox: Pick<Outbox, 'peek' | 'delete' | 'enqueue'>;
  traces: Pick<TraceStore, 'hop' | 'get'>;
  workload: WorkloadLedger;
  hostLocation: Location;
  view: (repo: string, name: string) => DestinationView | undefined;
  /** Routes the request to another instance, excluding `tried`; undefined when none is free. */
  retry: (request: Request, origin: RouteOrigin, tried: Set<string>, lost: string) => Promise<SendResult | undefined>;
}

interface Pending {
  result: SendResult & { to: string };
  request: Request;
  origin: RouteOrigin;
  tried: Set<string>;
}

/** Remote picks watched at once; the oldest is forgotten past this. */
const MAX_WATCHED = 10_000;
const ACCEPTED = new Set(['received', 'delivered', 'answered']);

export class Failover {
  /** Remote picks not yet known to have accepted, by message id. */
  private readonly watched = new Map<string, Pending>();
  private readonly stop: () => void;

  constructor(private readonly deps: FailoverDeps) {
    this.stop = deps.registry.onChange((batch) => this.onChange(batch));
  }

  /** Decides what a role send's first result means: accepted, watched, or lost now. */
  async settle(result: SendResult & { to: string }, request: Request, origin: RouteOrigin, tried: Set<string>): Promise<SendResult> {
    if (result.status === 'delivered' || result.status === 'expired') return result;
    const pending: Pending = { result, request, origin, tried };
    const view = this.deps.view(request.repo, result.to);
    const here = view?.location === this.deps.hostLocation;
    // A pick already seen gone by now — not live, or out of the registry that offered it
    // (it died between the choice and the route) — will bring no registry change to watch
    // for: unless it accepted, it is lost now.
    const goneAlready = (view === undefined || !isLive(view.status)) && !this.accepted(result.messageId);
    if ((result.status === 'queued' && here) || goneAlready) {
      return (await this.lost(pending)) ?? result;
    }
    this.watch(pending);
    return result;
  }

  close(): void {
    this.stop();
    this.watched.clear();
  }

  private watch(pending: Pending): void {
    if (this.watched.size >= MAX_WATCHED) {
      const oldest = this.watched.keys().next().value;
      if (oldest !== undefined) this.watched.delete(oldest);
    }
    this.watched.set(pending.result.messageId, pending);
  }

  private onChange(batch: AgentsChanged): void {
    const gone = new Set<string>();
    for (const agent of batch.upserts) if (!isLive(agent.status)) gone.add(`${agent.repo}/${agent.name}`);
    for (const ref of batch.removals) gone.add(`${ref.repo}/${ref.name}`);
    if (gone.size === 0 || this.watched.size === 0) return;
    for (const [id, pending] of this.watched) {
      if (!gone.has(`${pending.request.repo}/${pending.result.to}`)) continue;
      this.watched.delete(id);
      if (this.accepted(id)) continue;
      void this.lost(pending).catch(() => undefined);
    }
  }

  private accepted(messageId: string): boolean {
    return this.deps.traces.get(messageId)?.hops.some((hop) => ACCEPTED.has(hop.event)) ?? false;
  }

  /**
   * The pick went away: takes the message back from the outbox if it waits there, sends
   * it to another instance, and notes the failover on the lost message. Undefined (and
   * the message left as it was) when no other instance is free.
   */
  private async lost(pending: Pending): Promise<SendResult | undefined> {
    const { result, request } = pending;
    const row = this.deps.outbox.peek(request.repo, result.to, 10_000).find((r) => r.messageId === result.messageId);
    if (row) this.deps.outbox.delete(row);
    let next: SendResult | undefined;
    try {
      next = await this.deps.retry(request, pending.origin, pending.tried, result.to);
    } finally {
      if (!next && row) this.deps.outbox.enqueue({ message: row.message, traceparent: row.traceparent, reason: row.reason, enqueuedAt: row.enqueuedAt, expiresAt: row.expiresAt });
    }
    if (!next) return undefined;
    this.deps.workload.release(request.repo, result.to, taskIdOf(request.body) ?? result.messageId);
    this.deps.traces.hop(result.messageId, {
      where: 'router',
      event: 'failover',
      detail: `${result.to} went away before accepting it: sent to ${next.to ?? '?'} as ${next.messageId}`,
    });
    return next;
  }
}
