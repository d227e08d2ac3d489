/**
 * The receiving side of receipts: turns what happens to an inbound message here into
 * receipts for its sender (received, delivered, answered, rejected).
 *
 * Used by a desktop's router (inbound-handler.ts, the outbox drainer, route()) and by the
 * coordinator's team runner. "Answered" is correlated here, where the reply is sent: a
 * message the recipient routes back to the original sender whose body names the original
 * with `inReplyTo` (the convention of docs/agent-protocol.md), or that carries the
 * original's trace id, answers it — the first such reply only. To know what an answer
 * answers, the host remembers each inbound message it may still report on, bounded in
 * count and age (the oldest is forgotten first).
 *
 * Messages sent from the team side (`route.sourceLocation` remote) get no receipts: the
 * coordinator keeps no traces, so nobody would read them.
 */
import type { RoutedMessage } from '../../shared/domain.js';
import { MessageId } from '../../shared/domain.js';
import { subjects } from '../../shared/nats-subjects.js';
import type { ReceiptEvent } from '../../shared/receipts.js';
import type { Clock } from '../clock.js';
import type { ReceiptBatcher } from './receipt-batcher.js';

export const RECEIPT_REPORTER_DEFAULTS = {
  /** Inbound messages remembered for `delivered` / `answered`. */
  maxAwaiting: 10_000,
  /** How long an inbound message can still be reported answered. */
  awaitTtlMs: 60 * 60 * 1000,
} as const;

/** Who to report to and as whom: the subject's sender token, and this host's own token. */
export interface ReceiptRoute {
  repo: string;
  /** The NATS user that published the message (the inbox subject's sender token). */
  sender: string;
  /** The token this host reports under: its NATS user, or for the coordinator the recipient's owner. */
  by: string;
}

interface Awaiting {
  subject: string;
  /** The original sender, as named on the wire: an answer goes to it. */
  from: string;
  /** The recipient, as named here: an answer comes from it. */
  to: string;
  traceId: string;
  at: number;
  delivered: boolean;
}

type Inbound = Pick<RoutedMessage, 'id' | 'repo' | 'from' | 'to' | 'traceId' | 'route'>;
type Outgoing = Pick<RoutedMessage, 'id' | 'from' | 'to' | 'traceId' | 'body'>;

export interface ReceiptReporterOptions {
  batcher: ReceiptBatcher;
  clock: Clock;
  maxAwaiting?: number;
  awaitTtlMs?: number;
}

export class ReceiptReporter {
  private readonly awaiting = new Map<string, Awaiting>();
  /** trace id → message id, for answers that continue the trace instead of naming `inReplyTo`. */
  private readonly byTrace = new Map<string, string>();
  private readonly maxAwaiting: number;
  private readonly ttlMs: number;

  constructor(private readonly options: ReceiptReporterOptions) {
    this.maxAwaiting = options.maxAwaiting ?? RECEIPT_REPORTER_DEFAULTS.maxAwaiting;
    this.ttlMs = options.awaitTtlMs ?? RECEIPT_REPORTER_DEFAULTS.awaitTtlMs;
  }

  /** The message was read off the stream and admitted: `received`, and remembered for what follows. */
  received(message: Inbound, route: ReceiptRoute): void {
    if (message.route.sourceLocation === 'remote') return;
    const now = this.options.clock.now();
    const subject = subjects.receipts(route.repo, route.sender, route.by);
    this.remember(message.id, { subject, from: message.from, to: message.to, traceId: message.traceId, at: now, delivered: false });
    this.options.batcher.add(subject, { messageId: message.id, event: 'received', at: now });
  }

  /** Handed to the agent (now, or later from the outbox). */
  delivered(messageId: string): void {
    const entry = this.awaiting.get(messageId);
    if (!entry || entry.delivered) return;
    entry.delivered = true;
    this.report(messageId, 'delivered');
  }

  /** Held, then given up here (its TTL ran out): the sender hears it as rejected, with the reason. */
  dropped(messageId: string, reason: string): void {
    this.report(messageId, 'rejected', reason);
    this.forget(messageId);
  }

  /** Refused on arrival (malformed, forged, hosted elsewhere, expired): reported with the reason, never remembered. */
  rejected(messageId: string | undefined, route: ReceiptRoute, reason: string, sourceLocation?: string): void {
    // An id that is not well formed would make the sender refuse the whole batch.
    if (messageId === undefined || sourceLocation === 'remote' || !MessageId.safeParse(messageId).success) return;
    this.options.batcher.add(subjects.receipts(route.repo, route.sender, route.by), {
      messageId,
      event: 'rejected',
      at: this.options.clock.now(),
      detail: reason.slice(0, 512),
    });
  }

  /** A message a local agent (or team agent) sends: `answered` for the one it replies to, if any. */
  outgoing(message: Outgoing): void {
    if (this.awaiting.size === 0) return;
    const named = inReplyTo(message.body);
    const id = (named !== undefined && this.awaiting.has(named) ? named : undefined) ?? this.byTrace.get(message.traceId);
    if (id === undefined) return;
    const entry = this.awaiting.get(id);
    if (!entry || entry.to !== message.from || entry.from !== message.to) return;
    // An agent can answer inside the delivery call (a gateway agent, a test double): it was delivered.
    this.delivered(id);
    this.report(id, 'answered', message.id);
    this.forget(id);
  }

  /** Inbound messages remembered now. */
  size(): number {
    return this.awaiting.size;
  }

  private report(messageId: string, event: ReceiptEvent, detail?: string): void {
    const entry = this.awaiting.get(messageId);
    if (!entry) return;
    this.options.batcher.add(entry.subject, { messageId, event, at: this.options.clock.now(), ...(detail === undefined ? {} : { detail }) });
  }

  private remember(id: string, entry: Awaiting): void {
    // Oldest first: a Map keeps insertion order, so the front is the oldest entry.
    for (const [oldId, old] of this.awaiting) {
      if (this.awaiting.size < this.maxAwaiting && entry.at - old.at < this.ttlMs) break;
      this.forget(oldId);
    }
    this.awaiting.set(id, entry);
    this.byTrace.set(entry.traceId, id);
  }

  private forget(id: string): void {
    const entry = this.awaiting.get(id);
    if (!entry) return;
    this.awaiting.delete(id);
    if (this.byTrace.get(entry.traceId) === id) this.byTrace.delete(entry.traceId);
  }
}

/** The `inReplyTo` a body names, if it is an object with a string one. */
function inReplyTo(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const value = (body as Record<string, unknown>).inReplyTo;
  return typeof value === 'string' ? value : undefined;
}
