/**
 * Sends to a role and broadcasts, in front of the router (docs/routing.md, Dispatch and
 * broadcast).
 *
 * A send to a name goes straight on (a `task.assigned` to a full agent is refused with
 * WorkloadFull first). A send to `type:x` / `capability:x` picks one instance
 * (role-selection.ts) and routes to it with a `dispatched` hop naming the choice and its
 * reason; if that instance goes away before it accepts the message, failover.ts sends
 * it to another. `*`, or a role with `fanout: "all"`, is a broadcast: one message per
 * recipient, all under one trace id, each with a `dispatched` hop "broadcast i of n".
 */
import type { HybridConfig } from '../../shared/config.js';
import type { AgentInfo, Location } from '../../shared/domain.js';
import type { ParsedTarget } from '../../shared/dispatch.js';
import { parseTarget } from '../../shared/dispatch.js';
import { NoAgentAvailable, WorkloadFull } from '../../shared/errors.js';
import { placementOf } from '../../shared/ownership.js';
import type { DispatchRecipient } from '../../shared/dispatch.js';
import type { DestinationView } from '../../shared/route-decision.js';
import type { SendResult } from '../../shared/routing-contract.js';
import type { Clock } from '../clock.js';
import type { AgentRegistry } from '../registry/index.js';
import type { TraceStore } from '../traces/trace-store.js';
import { Failover } from './failover.js';
import { RoleIndex } from './role-index.js';
import type { SendRequest } from './message-input.js';
import { DEFAULT_MAX_BODY_BYTES, checkedCopy, newMessageId, readSendRequest } from './message-input.js';
import type { Outbox } from './outbox.js';
import type { RoleCandidate, RoleContext } from './role-selection.js';
import { chooseInstance, loadText } from './role-selection.js';
import { newTraceId } from './trace-context.js';
import type { RouteOrigin } from './types.js';
import type { WorkloadLedger } from './workload.js';

export type RouteNext = (input: unknown, origin: RouteOrigin) => Promise<SendResult>;

export interface DispatcherDeps {
  registry: Pick<AgentRegistry, 'discover' | 'get' | 'onChange'>;
  /** The router's view of a record: where it runs relative to this router. */
  view: (repo: string, name: string) => DestinationView | undefined;
  outbox: Pick<Outbox, 'has' | 'peek' | 'delete' | 'enqueue'>;
  traces: Pick<TraceStore, 'open' | 'hop' | 'get'>;
  workload: WorkloadLedger;
  config: () => HybridConfig;
  hostLocation: Location;
  linkUp: () => boolean;
  clock: Clock;
  /** The next stage: the type fallback and the router, for one named recipient. */
  next: RouteNext;
  maxBodyBytes?: number;
}

export class Dispatcher {
  /**
   * Called between a role send's choice and routing to it. A test seam: tests kill the
   * chosen agent's process here to prove the failover; production leaves it unset.
   */
  onChosen?: (agent: AgentInfo) => void | Promise<void>;
  private readonly failover: Failover;
  private readonly index: RoleIndex;
  private readonly stopForgetting: () => void;

  constructor(private readonly deps: DispatcherDeps) {
    this.index = new RoleIndex(deps.registry);
    // An agent that terminated or left took its open tasks with it.
    this.stopForgetting = deps.registry.onChange((batch) => {
      for (const agent of batch.upserts) if (agent.status === 'terminated') deps.workload.forget(agent.repo, agent.name);
      for (const ref of batch.removals) deps.workload.forget(ref.repo, ref.name);
    });
    this.failover = new Failover({
      registry: deps.registry,
      outbox: deps.outbox,
      traces: deps.traces,
      workload: deps.workload,
      hostLocation: deps.hostLocation,
      view: deps.view,
      retry: (request, origin, tried, lost) => this.retry(request, origin, tried, lost),
    });
  }

  /** Routes one send from a local source: to a name, one instance of a role, or everyone. */
  async send(input: unknown, origin: RouteOrigin): Promise<SendResult> {
    let request: SendRequest;
    try {
      request = readSendRequest(input, this.deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    } catch {
      // The router parses again, traces the rejection and throws the typed error.
      return this.deps.next(input, origin);
    }
    const target = parseTarget(request.to);
    const repo = request.repo ?? this.deps.config().repo;
    const from = origin.from ?? request.from ?? 'user';
    if (target.kind === 'name') {
      if (request.kind === 'task.assigned') this.checkWorkload(repo, target.name, request, { ...origin, from });
      return { ...(await this.deps.next(request, origin)), to: target.name };
    }
    if (target.kind === 'all' || request.fanout === 'all') return this.broadcast(target, checkedCopy(request, { repo }), origin, from);
    // One trace id for the send and any failover of it.
    return this.dispatchOne(target, checkedCopy(request, { repo, traceId: request.traceId ?? newTraceId() }), origin, new Set([from]));
  }

  close(): void {
    this.stopForgetting();
    this.failover.close();
    this.index.close();
  }

  private async dispatchOne(target: ParsedTarget, request: SendRequest & { repo: string }, origin: RouteOrigin, tried: Set<string>): Promise<SendResult> {
    let choice = chooseInstance(this.candidates(request.repo, target), this.context(tried));
    if (!choice.chosen) {
      // The copy may lag the registry by one batch (role-index.ts): read it again before saying no.
      this.index.refresh(request.repo);
      choice = chooseInstance(this.candidates(request.repo, target), this.context(tried));
    }
    if (!choice.chosen) {
      throw this.refuse(request, origin, new NoAgentAvailable(
        { repo: request.repo, to: request.to },
        `no instance of "${request.to}" in repo "${request.repo}" can take it: ${choice.reason}. ` +
          'Start or spawn one, wait for one to finish a task, or raise its maxConcurrentTasks.',
      ));
    }
    const name = choice.chosen.agent.name;
    const reason = `${request.to}: ${choice.reason}`;
    await this.onChosen?.(choice.chosen.agent);
    tried.add(name);
    let result: SendResult;
    try {
      result = await this.deps.next(checkedCopy(request, { to: name, fanout: undefined }), { ...origin, note: { event: 'dispatched', detail: reason } });
    } catch (error) {
      // The pick left the registry between the choice and the route (the router traced the refusal).
      if ((error as Error).name !== 'NoSuchAgent') throw error;
      const other = await this.retry(request, origin, tried, name);
      if (other) return other;
      throw error;
    }
    return this.failover.settle({ ...result, to: name, reason }, request, origin, tried);
  }

  /** A failover's second (or later) choice: the lost message's trace id, a new message id. */
  private async retry(request: SendRequest & { repo: string }, origin: RouteOrigin, tried: Set<string>, lost: string): Promise<SendResult | undefined> {
    const choice = chooseInstance(this.candidates(request.repo, parseTarget(request.to)), this.context(tried));
    if (!choice.chosen) return undefined;
    const name = choice.chosen.agent.name;
    const reason = `${lost} went away before accepting it; ${request.to}: ${choice.reason}`;
    tried.add(name);
    const result = await this.deps.next(checkedCopy(request, { id: undefined, to: name, fanout: undefined }), { ...origin, note: { event: 'failover', detail: reason } });
    return this.failover.settle({ ...result, to: name, reason }, request, origin, tried);
  }

  private async broadcast(target: ParsedTarget, request: SendRequest & { repo: string }, origin: RouteOrigin, from: string): Promise<SendResult> {
    const ctx = this.context(new Set([from]));
    // A broadcast reads the registry itself: a recipient registered a moment ago must not miss it.
    this.index.refresh(request.repo);
    const all = target.kind === 'all' ? this.describe(this.index.all(request.repo)) : this.candidates(request.repo, target);
    const skipped: string[] = [];
    const recipients = all.filter((c) => {
      if (c.agent.name === from || c.agent.status === 'terminated') return false;
      if (c.location !== this.deps.hostLocation && !ctx.hybridEnabled) return (skipped.push(`${c.agent.name} (remote, hybrid off)`), false);
      if (request.kind === 'task.assigned' && c.load.max > 0 && c.load.current >= c.load.max) return (skipped.push(`${c.agent.name} (full ${loadText(c.load)})`), false);
      return true;
    });
    if (recipients.length === 0) {
      const why = skipped.length > 0 ? `: skipped ${skipped.join(', ')}` : '';
      throw this.refuse(request, origin, new NoAgentAvailable({ repo: request.repo, to: request.to }, `no agent in repo "${request.repo}" to broadcast "${request.to}" to${why}`));
    }
    const traceId = request.traceId ?? newTraceId();
    const reason = `broadcast "${request.to}" to ${recipients.length} agent(s)${skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : ''}`;
    const results: Array<SendResult & { to: string }> = [];
    let firstError: unknown;
    for (const [i, c] of recipients.entries()) {
      const name = c.agent.name;
      const detail = `broadcast ${i + 1} of ${recipients.length} to ${request.to}`;
      const input = checkedCopy(request, { id: i === 0 ? request.id : undefined, traceId, to: name, fanout: undefined });
      try {
        results.push({ ...(await this.deps.next(input, { ...origin, note: { event: 'dispatched', detail } })), to: name });
      } catch (error) {
        // The router traced the refusal on that recipient's message; the others still go.
        firstError ??= error;
      }
    }
    const first = results[0];
    if (!first) throw firstError;
    const listed: DispatchRecipient[] = results.map((r) => ({ to: r.to, messageId: r.messageId, status: r.status }));
    return { ...first, reason, recipients: listed };
  }

  /** The instances of a role, as the selection sees them. */
  private candidates(repo: string, target: ParsedTarget): RoleCandidate[] {
    if (target.kind === 'type') return this.describe(this.index.role(repo, { type: target.type }));
    if (target.kind === 'capability') return this.describe(this.index.role(repo, { capability: target.capability }));
    return [];
  }

  private describe(agents: AgentInfo[]): RoleCandidate[] {
    const config = this.deps.config();
    const host = this.deps.hostLocation;
    return agents.map((agent) => ({
      agent,
      load: this.deps.workload.load(agent),
      location: this.deps.view(agent.repo, agent.name)?.location ?? agent.location,
      placedAt: config.enabled ? placementOf(agent.type, config) : host,
      backlogged: this.deps.outbox.has(agent.repo, agent.name),
    }));
  }

  private context(exclude: ReadonlySet<string>): RoleContext {
    const config = this.deps.config();
    return { hostLocation: this.deps.hostLocation, hybridEnabled: config.enabled, linkUp: this.deps.linkUp(), exclude };
  }

  /** A `task.assigned` by name to an agent already at its limit is refused. */
  private checkWorkload(repo: string, name: string, request: SendRequest, origin: RouteOrigin): void {
    const agent = this.deps.registry.get({ repo, name });
    if (!agent || !this.deps.workload.isFull(agent)) return;
    const load = this.deps.workload.load(agent);
    const error = new WorkloadFull(
      `"${name}" already runs ${load.current} of its ${load.max} task(s) (maxConcurrentTasks): ` +
        `send it later, or to "type:${agent.type}" so a free instance takes it`,
    );
    throw this.refuse({ ...request, repo }, origin, error);
  }

  /** Records the one `rejected` hop of a refused send, and hands back the error to throw. */
  private refuse(request: SendRequest & { repo?: string }, origin: RouteOrigin, error: Error): Error {
    const now = this.deps.clock.now();
    this.deps.traces.open(
      {
        messageId: request.id ?? newMessageId(now),
        traceId: request.traceId ?? newTraceId(),
        repo: request.repo ?? this.deps.config().repo,
        from: origin.from ?? request.from ?? 'user',
        to: request.to,
        kind: request.kind,
      },
      { where: 'router', event: 'rejected', at: now, detail: `${origin.source}: ${error.message}` },
    );
    return error;
  }
}

