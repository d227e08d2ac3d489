/**
 * Carrying a routed message once the router has decided: deliver here, publish with an
 * ack, or queue in the outbox, in order per destination. Split from router.ts, which
 * parses, decides and traces the acceptance.
 */
import type { RouteInfo, RoutedMessage } from '../../shared/domain.js';
import type { QueueReason, RouteDecision } from '../../shared/route-decision.js';
import type { SendResult } from '../../shared/routing-contract.js';
import type { Clock } from '../clock.js';
import type { Receipts } from '../receipts/receipts.js';
import type { TraceStore } from '../traces/trace-store.js';
import type { Lanes } from './lanes.js';
import { publishToInbox } from './nats-publisher.js';
import type { OutboxDrainer } from './outbox-drainer.js';
import type { Outbox } from './outbox.js';
import { destinationKey } from './outbox.js';
import { traceparentFor } from './trace-context.js';
import type { LocalDelivery, RemoteTransport } from './types.js';
import type { WireIdentity } from './wire-identity.js';

export interface CarrierDeps {
  outbox: Outbox;
  lanes: Lanes;
  drainer: Pick<OutboxDrainer, 'schedule'>;
  traces: TraceStore;
  local: LocalDelivery;
  transport: RemoteTransport | undefined;
  wire: Pick<WireIdentity, 'outgoing'>;
  clock: Clock;
  publishTimeoutMs: number;
  /** How long an undeliverable message waits when it carries no TTL of its own. */
  defaultHoldTtlMs: number;
  /** Notes what we publish, so its receipts are believed (receipt-collector.ts). */
  receipts?: Receipts;
}

export class MessageCarrier {
  constructor(private readonly deps: CarrierDeps) {}

  async carry(message: RoutedMessage, decision: RouteDecision, now: number): Promise<SendResult> {
    const result = (status: SendResult['status'], route = message.route): SendResult => ({ messageId: message.id, traceId: message.traceId, status, route });
    const traces = this.deps.traces;
    switch (decision.action) {
      case 'expire':
        traces.hop(message.id, { where: 'router', event: 'expired', at: now, detail: 'TTL over before routing' });
        return result('expired');
      case 'deliver':
        if (this.deps.local.deliver(message)) {
          traces.hop(message.id, { where: 'agent', event: 'delivered', detail: `to ${message.to}` });
          return result('delivered');
        }
        return this.queueInOrder(message, 'unreachable', message.timestamp + (message.ttlMs ?? this.deps.defaultHoldTtlMs));
      case 'queue':
        return this.queueInOrder(message, decision.reason, decision.expiresAt);
      case 'publish':
        return this.deps.lanes.run(destinationKey(message.repo, message.to), async () => {
          if (this.deps.outbox.has(message.repo, message.to)) return result('queued', this.queue(message, 'behind-queue', message.ttlMs === undefined ? null : message.timestamp + message.ttlMs));
          const conn = this.deps.transport?.connection();
          if (conn) {
            const traceparent = traceparentFor(message.traceId);
            try {
              const wire = this.deps.wire.outgoing(message);
              const collector = this.deps.receipts?.collector;
              collector?.sending(message.id, message.repo, wire.message.to, this.deps.clock.now());
              const ack = await publishToInbox(conn, wire.message, traceparent, this.deps.publishTimeoutMs, wire.sender);
              const at = this.deps.clock.now();
              traces.hop(message.id, { where: 'nats', event: 'published', at, detail: `stream seq ${ack.seq}${ack.duplicate ? ' (duplicate)' : ''}; ${traceparent}` });
              collector?.published(message.id, at);
              return result('published');
            } catch (error) {
              if ((error as Error).name === 'MessageTooLarge') {
                traces.hop(message.id, { where: 'nats', event: 'failed', detail: (error as Error).message });
                throw error;
              }
            }
          }
          return result('queued', this.queue(message, 'link-down', message.ttlMs === undefined ? null : message.timestamp + message.ttlMs));
        });
      case 'reject':
        throw new Error('unreachable: rejections are handled before carry');
    }
  }

  /**
   * Queues behind whatever is in flight for the destination. While a publish waits for
   * its ack (up to the publish timeout when the link just dropped), a message queued
   * directly would land in the outbox ahead of it if that publish then fails.
   */
  private queueInOrder(message: RoutedMessage, reason: QueueReason, expiresAt: number | null): SendResult | Promise<SendResult> {
    const settle = (): SendResult => ({ messageId: message.id, traceId: message.traceId, status: 'queued', route: this.queue(message, reason, expiresAt) });
    const key = destinationKey(message.repo, message.to);
    return this.deps.lanes.busy(key) ? this.deps.lanes.run(key, async () => settle()) : settle();
  }

  /** Commits the message to the outbox (fsync) and records the hop; returns the stamped route. */
  private queue(message: RoutedMessage, reason: QueueReason, expiresAt: number | null): RouteInfo {
    const route: RouteInfo = { ...message.route, routedVia: 'outbox' };
    const queued = { ...message, route };
    this.deps.outbox.enqueue({ message: queued, traceparent: traceparentFor(message.traceId), reason, enqueuedAt: this.deps.clock.now(), expiresAt });
    this.deps.traces.hop(message.id, { where: 'outbox', event: 'queued', detail: reason, route });
    this.deps.drainer.schedule(message.repo, message.to);
    return route;
  }
}
