/**
 * Sends what waits in the outbox, oldest first per destination, inside that
 * destination's lane (so a new message can never overtake a queued one).
 *
 * A row leaves only once its message is delivered to a local agent or acknowledged by
 * JetStream, and is then deleted; a failure stops the destination's drain with the row
 * still in place, to be retried on the next trigger (link up, registry change, timer).
 */
import type { NatsConnection } from 'nats.ws';
import type { RoutedMessage } from '../../shared/domain.js';
import type { DestinationView } from '../../shared/route-decision.js';
import { isUnreachable } from '../../shared/route-decision.js';
import type { Clock } from '../clock.js';
import type { Receipts } from '../receipts/receipts.js';
import type { HopInput, TraceStore } from '../traces/trace-store.js';
import type { Lanes } from './lanes.js';
import { publishToInbox } from './nats-publisher.js';
import type { Outbox, OutboxRow } from './outbox.js';
import { destinationKey } from './outbox.js';
import { traceparentFor } from './trace-context.js';

export interface DrainerDeps {
  outbox: Outbox;
  lanes: Lanes;
  clock: Clock;
  traces: TraceStore;
  view(repo: string, name: string): DestinationView | undefined;
  /** The router's host side: which destinations are delivered directly. */
  hostLocation?: DestinationView['location'];
  deliver(message: RoutedMessage): boolean;
  /** The live connection, or undefined while the link is down or hybrid is off. */
  connection(): NatsConnection | undefined;
  /** The message as published (our wire names) and the sender token of its subject (router.ts). */
  onWire(message: RoutedMessage): { message: RoutedMessage; sender: string };
  publishTimeoutMs: number;
  /** Reports held inbound messages delivered or expired, and notes what we publish (receipts.ts). */
  receipts?: Receipts;
  onError?: (error: unknown) => void;
}

const BATCH = 64;

export class OutboxDrainer {
  /** Destinations with a drain queued but not started: one pending drain is enough. */
  private readonly pending = new Set<string>();
  private stopped = false;

  constructor(private readonly deps: DrainerDeps) {}

  schedule(repo: string, to: string): void {
    const key = destinationKey(repo, to);
    if (this.stopped || this.pending.has(key)) return;
    this.pending.add(key);
    void this.deps.lanes
      .run(key, async () => {
        this.pending.delete(key);
        await this.drain(repo, to);
      })
      .catch((error: unknown) => this.deps.onError?.(error));
  }

  scheduleAll(): void {
    for (const { repo, to } of this.deps.outbox.destinations()) this.schedule(repo, to);
  }

  stop(): void {
    this.stopped = true;
  }

  /** Sends rows in order until the destination's queue is empty or a row cannot go. */
  private async drain(repo: string, to: string): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const rows = this.deps.outbox.peek(repo, to, BATCH);
      if (rows.length === 0) return;
      for (const row of rows) {
        if (this.stopped || !(await this.send(row))) return;
      }
    }
  }

  /** One row: true when it left the outbox (sent or expired), false to stop here. */
  private async send(row: OutboxRow): Promise<boolean> {
    const { outbox, clock } = this.deps;
    const m = row.message;
    const known = { messageId: m.id, traceId: m.traceId, repo: m.repo, from: m.from, to: m.to, kind: m.kind, body: m.body };
    const traces = { hop: (id: string, hop: HopInput) => this.deps.traces.hop(id, hop, known) };
    const now = clock.now();
    if (row.expiresAt !== null && now >= row.expiresAt) {
      outbox.delete(row);
      traces.hop(row.messageId, { where: 'outbox', event: 'expired', at: now, detail: `waited ${now - row.enqueuedAt} ms (${row.reason})` });
      this.deps.receipts?.reporter.dropped(row.messageId, `expired: held ${now - row.enqueuedAt} ms for ${row.to}, which never took it`);
      return true;
    }
    const view = this.deps.view(row.repo, row.to);
    if (!view || isUnreachable(view.status)) return false;
    const here = (this.deps.hostLocation ?? 'local') === view.location;
    if (here) {
      if (!this.deps.deliver(row.message)) return false;
      outbox.delete(row);
      traces.hop(row.messageId, { where: 'agent', event: 'delivered', detail: `to ${row.to} from the outbox` });
      this.deps.receipts?.reporter.delivered(row.messageId);
      return true;
    }
    return this.publish(row, traces);
  }

  /** Publishes a row for a remote destination; true once acknowledged (or failed for good). */
  private async publish(row: OutboxRow, traces: { hop(id: string, hop: HopInput): void }): Promise<boolean> {
    const { outbox, clock } = this.deps;
    const conn = this.deps.connection();
    if (!conn) return false;
    const traceparent = traceparentFor(row.message.traceId);
    try {
      const wire = this.deps.onWire(row.message);
      this.deps.receipts?.collector?.sending(row.messageId, row.repo, wire.message.to, clock.now());
      const ack = await publishToInbox(conn, wire.message, traceparent, this.deps.publishTimeoutMs, wire.sender);
      outbox.delete(row);
      const at = clock.now();
      traces.hop(row.messageId, {
        where: 'nats',
        event: 'published',
        at,
        detail: `from the outbox after ${row.attempts} failed attempts; stream seq ${ack.seq}${ack.duplicate ? ' (duplicate)' : ''}; ${traceparent}`,
      });
      this.deps.receipts?.collector?.published(row.messageId, at);
      return true;
    } catch (error) {
      if ((error as Error).name === 'MessageTooLarge') {
        // Permanent: retrying cannot help, and keeping it would block the queue behind it.
        outbox.delete(row);
        traces.hop(row.messageId, { where: 'nats', event: 'failed', detail: (error as Error).message });
        return true;
      }
      outbox.failedAttempt(row, (error as Error).message ?? String(error));
      return false;
    }
  }
}
