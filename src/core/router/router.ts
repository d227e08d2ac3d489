/**
 * The router: one entry for every message, whoever sends it, and the inbound side of
 * the message stream.
 *
 * route(): parse → size limit → resolve in the mirror → decide (src/shared/route-decision.ts)
 * → rate limit (link-bound only) → stamp RouteInfo → deliver / publish with ack / queue
 * (the last step in message-carrier.ts).
 * Every outcome is a hop in the trace; a rejected input leaves one trace row with one
 * `rejected` hop and nothing else. docs/routing.md has the rules and the defaults.
 */
import type { Database } from 'better-sqlite3';
import type { JsMsg } from 'nats.ws';
import type { HybridConfig } from '../../shared/config.js';
import type { Location, RouteInfo, RoutedMessage, RoutedVia } from '../../shared/domain.js';
import { NoSuchAgent, RateLimited, RemoteUnavailable } from '../../shared/errors.js';
import type { DestinationView, RouteDecision } from '../../shared/route-decision.js';
import { DEFAULT_HOLD_TTL_MS, decideRoute } from '../../shared/route-decision.js';
import type { SendResult } from '../../shared/routing-contract.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { ReceiptStats, Receipts } from '../receipts/index.js';
import { routerReceipts } from './router-receipts.js';
import { ANONYMOUS_SENDER } from '../../shared/nats-subjects.js';
import type { TraceStore } from '../traces/trace-store.js';
import { handleInbound } from './inbound-handler.js';
import { MessageCarrier } from './message-carrier.js';
import { InboundConsumers } from './inbound-consumers.js';
import { InboundLedger, LEDGER_RETENTION_MS } from './inbound-ledger.js';
import { Lanes } from './lanes.js';
import { DEFAULT_MAX_BODY_BYTES, buildMessage, namesOf, newMessageId, readSendRequest } from './message-input.js';
import { OutboxDrainer } from './outbox-drainer.js';
import { Outbox } from './outbox.js';
import type { RateLimit } from './rate-limiter.js';
import { DEFAULT_RATE_LIMIT, RateLimiter } from './rate-limiter.js';
import { DestinationViews } from './destination-views.js';
import { newTraceId } from './trace-context.js';
import type { HostedInbox } from './inbound-consumers.js';
import { WireIdentity } from './wire-identity.js';
import type { AgentDirectory, HostedHere, LocalDelivery, RemoteTransport, RouteOrigin } from './types.js';

export interface RouterOptions {
  /** The main database connection (the outbox opens its own FULL-sync one beside it). */
  db: Database;
  registry: AgentDirectory;
  local: LocalDelivery;
  transport?: RemoteTransport;
  config: () => HybridConfig;
  traces: TraceStore;
  clock?: Clock;
  /** Where the agents this router delivers to run: `local` on a desktop. */
  hostLocation?: Location;
  /** Which records are this process's own agents; by default those at hostLocation. */
  hostedHere?: HostedHere;
  /** Agents started by spawn fallback; messages to them are routed `fallback`. */
  isFallback?: (repo: string, name: string) => boolean;
  maxBodyBytes?: number;
  rateLimit?: RateLimit;
  defaultHoldTtlMs?: number;
  publishTimeoutMs?: number;
  /** How often queued messages are retried and expired. */
  retryIntervalMs?: number;
  nativeBinding?: string;
  /**
   * Receipts (docs/routing.md): report what happens to inbound messages back to their
   * senders, and write the receipts for ours on their traces. On by default; `false`
   * turns them off, an object tunes the batching (receipt-batcher.ts).
   */
  receipts?: false | { flushMs?: number; maxPending?: number };
  onError?: (error: unknown) => void;
  /** Sees each message the router accepted from a local source, before it is carried (must not throw). */
  onAccepted?: (message: RoutedMessage) => void;
}

export const ROUTER_DEFAULTS = { publishTimeoutMs: 5000, retryIntervalMs: 1000 } as const;

export class Router {
  readonly outbox: Outbox;
  readonly ledger: InboundLedger;
  readonly hostLocation: Location;
  private readonly clock: Clock;
  private readonly lanes = new Lanes();
  private readonly limiter: RateLimiter;
  private readonly drainer: OutboxDrainer;
  private readonly consumers: InboundConsumers;
  private readonly stops: Array<() => void> = [];
  private readonly timer: NodeJS.Timeout;
  private readonly views: DestinationViews;
  private readonly wire: WireIdentity;
  private readonly carrier: MessageCarrier;
  private readonly receipts: Receipts | undefined;
  private closed = false;

  constructor(private readonly options: RouterOptions) {
    this.clock = options.clock ?? systemClock;
    this.hostLocation = options.hostLocation ?? 'local';
    this.views = new DestinationViews(options.registry, this.hostLocation, options.hostedHere, options.isFallback);
    this.wire = new WireIdentity(options.transport, options.registry, () => options.config().repo, this.hostLocation);
    this.outbox = new Outbox(options.db, { nativeBinding: options.nativeBinding });
    this.ledger = new InboundLedger(options.db);
    this.limiter = new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
    this.receipts = routerReceipts(options, this.hostLocation, this.clock, this.wire);
    this.drainer = new OutboxDrainer({
      outbox: this.outbox,
      lanes: this.lanes,
      clock: this.clock,
      traces: options.traces,
      view: (repo, name) => this.view(repo, name),
      hostLocation: this.hostLocation,
      deliver: (message) => options.local.deliver(message),
      connection: () => (options.config().enabled ? options.transport?.connection() : undefined),
      onWire: (message) => this.wire.outgoing(message),
      publishTimeoutMs: options.publishTimeoutMs ?? ROUTER_DEFAULTS.publishTimeoutMs,
      receipts: this.receipts,
      onError: options.onError,
    });
    this.carrier = new MessageCarrier({
      outbox: this.outbox,
      lanes: this.lanes,
      drainer: this.drainer,
      traces: options.traces,
      local: options.local,
      transport: options.transport,
      wire: this.wire,
      clock: this.clock,
      publishTimeoutMs: options.publishTimeoutMs ?? ROUTER_DEFAULTS.publishTimeoutMs,
      defaultHoldTtlMs: options.defaultHoldTtlMs ?? DEFAULT_HOLD_TTL_MS,
      receipts: this.receipts,
    });
    this.consumers = new InboundConsumers({
      handle: (msg) => this.inbound(msg),
      onError: (inbox, error) => options.onError?.(new Error(`${inbox.label}: ${String(error)}`, { cause: error })),
    });
    const transport = options.transport;
    if (transport) {
      this.stops.push(transport.onUp(() => this.linkUp()));
      this.stops.push(
        transport.onDown(() => {
          this.consumers.detach();
          this.receipts?.stopListening();
        }),
      );
      if (transport.connection()) this.linkUp();
    }
    this.stops.push(
      options.registry.onChange((batch) => {
        this.views.invalidate(batch);
        for (const agent of batch.upserts) {
          if (this.outbox.has(agent.repo, agent.name)) this.drainer.schedule(agent.repo, agent.name);
        }
        if (batch.upserts.length > 0 || batch.removals.length > 0) this.consumers.sync(this.hostedInboxes());
      }),
    );
    this.timer = setInterval(() => this.tick(), options.retryIntervalMs ?? ROUTER_DEFAULTS.retryIntervalMs);
    this.timer.unref();
  }

  /**
   * Routes one message from a local source (an agent, the gateway, the UI, the CLI).
   *
   * Resolves once the message is delivered, acknowledged by JetStream, or durably
   * queued; rejects with a typed error (NoSuchAgent, MessageTooLarge, ValidationError,
   * RateLimited, RemoteUnavailable) after recording the rejected hop.
   */
  async route(input: unknown, origin: RouteOrigin): Promise<SendResult> {
    const now = this.clock.now();
    const config = this.options.config();
    let built: Omit<RoutedMessage, 'route'>;
    try {
      const request = readSendRequest(input, this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
      built = buildMessage(request, { from: origin.from ?? request.from ?? 'user', repo: config.repo, now });
    } catch (error) {
      const names = namesOf(input);
      this.options.traces.open(
        { messageId: newMessageId(now), traceId: newTraceId(), repo: names.repo ?? config.repo, from: origin.from ?? names.from, to: names.to, kind: names.kind },
        { where: 'router', event: 'rejected', at: now, detail: `${origin.source}: ${(error as Error).message}` },
      );
      throw error;
    }
    const view = this.view(built.repo, built.to);
    const decision = decideRoute({
      hybridEnabled: config.enabled,
      hostLocation: this.hostLocation,
      destination: view,
      linkUp: this.linkIsUp(config),
      queuedForDestination: this.outbox.has(built.repo, built.to),
      now,
      message: built,
      defaultHoldTtlMs: this.options.defaultHoldTtlMs,
    });
    const trace = { messageId: built.id, traceId: built.traceId, repo: built.repo, from: built.from, to: built.to, kind: built.kind, body: built.body };
    if (decision.action === 'reject') {
      const error = decision.reason === 'no-such-agent'
        ? new NoSuchAgent(built.repo, built.to)
        : new RemoteUnavailable(`"${built.to}" is a remote agent and hybrid mode is off: turn hybrid mode on to reach it`);
      this.options.traces.open({ ...trace, body: undefined }, { where: 'router', event: 'rejected', at: now, detail: error.message });
      throw error;
    }
    const overLink = view !== undefined && view.location !== this.hostLocation;
    if (overLink && origin.source !== 'nats' && !this.limiter.take(`${built.repo}/${built.from}`, now)) {
      const error = new RateLimited(built.from, (this.options.rateLimit ?? DEFAULT_RATE_LIMIT).perSecond);
      this.options.traces.open({ ...trace, body: undefined }, { where: 'router', event: 'rejected', at: now, detail: error.message });
      throw error;
    }
    const message: RoutedMessage = { ...built, route: this.stamp(view, viaOf(decision), now) };
    this.traceAccepted(trace, message, origin, now);
    this.noteOutgoing(message, origin);
    this.options.onAccepted?.(message);
    return this.carrier.carry(message, decision, now);
  }

  /** The trace's first hop, `accepted`, and the note its origin carries (a fallback or failback) right after it. */
  private traceAccepted(trace: Parameters<TraceStore['open']>[0], message: RoutedMessage, origin: RouteOrigin, now: number): void {
    this.options.traces.open(trace, { where: 'router', event: 'accepted', at: now, detail: `from ${origin.source}`, route: message.route });
    if (origin.note) this.options.traces.hop(message.id, { where: 'router', at: now, ...origin.note });
  }

  /** Handles one message from a hosted agent's inbox (the consumer acks after this). */
  inbound(msg: JsMsg): Promise<void> {
    return handleInbound(msg, {
      clock: this.clock,
      traces: this.options.traces,
      ledger: this.ledger,
      outbox: this.outbox,
      view: (repo, name) => this.view(repo, name),
      hostLocation: this.hostLocation,
      deliver: (message) => this.options.local.deliver(message),
      holdTtlMs: this.options.defaultHoldTtlMs ?? DEFAULT_HOLD_TTL_MS,
      scheduleDrain: (repo, to) => this.drainer.schedule(repo, to),
      senders: this.wire.senders(),
      localName: (name) => this.wire.localName(name),
      receipts: this.receipts?.reporter,
      reportAs: this.wire.user() ?? ANONYMOUS_SENDER,
    });
  }

  /** Receipts this router reported and read (docs/routing.md, Receipts). */
  receiptStats(): ReceiptStats | undefined {
    return this.receipts?.stats();
  }

  /** Drains every destination that can go now; resolves when the lanes are idle. */
  async flush(): Promise<void> {
    this.drainer.scheduleAll();
    await this.lanes.idle();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    for (const stop of this.stops.splice(0)) stop();
    this.consumers.detach();
    this.receipts?.close();
    this.drainer.stop();
    await this.lanes.idle();
    this.ledger.flush();
    this.outbox.close();
  }

  /** The mirror's record as the decision needs it: here or elsewhere, status, fallback. */
  view(repo: string, name: string): DestinationView | undefined {
    return this.views.view(repo, name);
  }

  /** A reply from one of ours to a remote sender answers what it names (receipt-reporter.ts). */
  private noteOutgoing(message: RoutedMessage, origin: RouteOrigin): void {
    if (origin.source !== 'nats') this.receipts?.reporter.outgoing(message);
  }

  private stamp(view: DestinationView | undefined, routedVia: RoutedVia, now: number): RouteInfo {
    return { sourceLocation: this.hostLocation, destLocation: view?.location ?? this.hostLocation, routedVia, routedAt: now };
  }

  private linkIsUp(config: HybridConfig): boolean {
    return config.enabled && this.options.transport?.connection() !== undefined;
  }

  private linkUp(): void {
    const conn = this.options.transport?.connection();
    if (!conn || this.closed) return;
    this.consumers.attach(conn, this.hostedInboxes());
    this.receipts?.listen(conn, this.options.config().repo, this.wire.user() ?? ANONYMOUS_SENDER);
    this.drainer.scheduleAll();
  }

  private hostedInboxes(): HostedInbox[] {
    return this.wire.inboxes(this.views.hosted(this.options.config().repo));
  }

  private tick(): void {
    if (this.outbox.size() > 0) this.drainer.scheduleAll();
    const now = this.clock.now();
    if (now % 3_600_000 < (this.options.retryIntervalMs ?? ROUTER_DEFAULTS.retryIntervalMs)) {
      this.ledger.forgetBefore(now - LEDGER_RETENTION_MS);
    }
  }
}

function viaOf(decision: RouteDecision): RoutedVia {
  return 'routedVia' in decision ? decision.routedVia : 'local';
}
