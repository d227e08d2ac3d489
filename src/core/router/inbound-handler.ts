/**
 * One message read from a hosted agent's inbox: parse, check its sender, drop duplicates
 * and expired ones, deliver, or hold it in the outbox until the agent can take it.
 *
 * Resolving means "safe to ack": the message was delivered, durably held, or recorded
 * as rejected (a malformed payload or a forged sender is never retried: it would block
 * the inbox and could never succeed).
 */
import type { JsMsg } from 'nats.ws';
import type { RoutedMessage } from '../../shared/domain.js';
import { RoutedMessage as RoutedMessageSchema } from '../../shared/domain.js';
import { NATS_JSON_LIMITS, parseJsonText } from '../../shared/json-limits.js';
import { headers, parseInboxSubject } from '../../shared/nats-subjects.js';
import { parseUnknown } from '../../shared/parse.js';
import type { DestinationView } from '../../shared/route-decision.js';
import { isUnreachable, ttlDeadline } from '../../shared/route-decision.js';
import type { Clock } from '../clock.js';
import type { ReceiptReporter } from '../receipts/receipt-reporter.js';
import type { HopInput, TraceOpen, TraceStore } from '../traces/trace-store.js';
import type { InboundLedger } from './inbound-ledger.js';
import { salvageInbound } from './inbound-salvage.js';
import { newMessageId } from './message-input.js';
import type { Outbox } from './outbox.js';
import type { SenderPolicy } from './sender-check.js';
import { senderRefusal } from './sender-check.js';
import { parseTraceparent, traceparentFor } from './trace-context.js';
import type { TraceParent } from './trace-context.js';

export interface InboundDeps {
  clock: Clock;
  traces: TraceStore;
  ledger: InboundLedger;
  outbox: Outbox;
  view(repo: string, name: string): DestinationView | undefined;
  hostLocation: DestinationView['location'];
  deliver(message: RoutedMessage): boolean;
  holdTtlMs: number;
  scheduleDrain(repo: string, to: string): void;
  /** Who may speak for whom (sender-check.ts). */
  senders: SenderPolicy;
  /**
   * The local name of an agent addressed on NATS: a member's desktop puts its user prefix
   * on its agents' names on the wire (wire-names.ts). Identity when absent.
   */
  localName?(name: string): string;
  /** Reports what happens here back to the sender (receipts), as `reportAs` (our NATS user, or `~`). */
  receipts?: ReceiptReporter;
  reportAs?: string;
}

/** Reports a refusal to whoever published the message (the subject's sender token, which the server vouches for). */
function reportRefusal(deps: InboundDeps, msg: JsMsg, messageId: string | undefined, reason: string, sourceLocation?: string): void {
  const inbox = parseInboxSubject(msg.subject);
  if (!deps.receipts || !inbox || deps.reportAs === undefined) return;
  deps.receipts.rejected(messageId, { repo: inbox.repo, sender: inbox.sender, by: deps.reportAs }, reason, sourceLocation);
}

/**
 * Traces a refused message as its own `rejected` row, never on another message's trace.
 *
 * A refused payload chooses its own id: one that claims the id of a message this host has
 * traced already would otherwise add a hop to that trace and turn it "rejected". It gets
 * a fresh id instead, and the claim is named in the detail.
 */
function traceRefusal(deps: InboundDeps, trace: TraceOpen, hop: HopInput, now: number): void {
  if (deps.traces.get(trace.messageId) === null) {
    deps.traces.open(trace, hop);
    return;
  }
  const detail = `${hop.detail ?? ''} (it claimed the id ${trace.messageId} of a message traced already)`;
  deps.traces.open({ ...trace, messageId: newMessageId(now) }, { ...hop, detail });
}

/**
 * Parses a message off the stream and checks who sent it and that it is ours to hold;
 * a refusal is traced as a `rejected` row and yields undefined (the message is acked).
 */
function admit(msg: JsMsg, deps: InboundDeps, now: number): RoutedMessage | undefined {
  let message: RoutedMessage;
  try {
    message = parseUnknown(RoutedMessageSchema, parseJsonText(msg.data, NATS_JSON_LIMITS, 'inbound message'), 'inbound message');
  } catch (error) {
    // Trace what can be read (inbound-salvage.ts), under the agent it was addressed to.
    const { trace, publisher } = salvageInbound(msg, now, deps.localName);
    const by = publisher === undefined ? '' : ` (published by NATS user "${publisher}")`;
    traceRefusal(deps, trace, { where: 'nats', event: 'rejected', at: now, detail: `stream seq ${msg.seq}${by}: ${(error as Error).message}` }, now);
    // Only an id the stream vouches for (Nats-Msg-Id, which the publisher set) gets a receipt.
    reportRefusal(deps, msg, msg.headers?.get(headers.msgId) || undefined, `malformed: ${(error as Error).message}`);
    return undefined;
  }
  const refusal = senderRefusal(msg.subject, message, deps.senders);
  if (refusal !== undefined) {
    traceRefusal(
      deps,
      { messageId: message.id, traceId: message.traceId, repo: message.repo, from: message.from, to: message.to, kind: message.kind },
      { where: 'nats', event: 'rejected', at: now, detail: `stream seq ${msg.seq}: ${refusal}`, route: message.route },
      now,
    );
    reportRefusal(deps, msg, message.id, refusal, message.route.sourceLocation);
    return undefined;
  }
  // Our consumer's filter covers every agent of this NATS user; one the mirror shows living
  // elsewhere means two hosts share one credential. Holding it here would forward it under our name.
  const addressed = deps.view(message.repo, message.to);
  if (addressed !== undefined && addressed.location !== deps.hostLocation) {
    deps.traces.open(
      { messageId: message.id, traceId: message.traceId, repo: message.repo, from: message.from, to: message.to, kind: message.kind },
      {
        where: 'router',
        event: 'rejected',
        at: now,
        detail: `${message.to} is hosted elsewhere, yet its inbox is read here: two hosts share one credential; give each desktop its own (docs/nats.md)`,
        route: message.route,
      },
    );
    reportRefusal(deps, msg, message.id, `${message.to} is not hosted by the desktop that reads its inbox`, message.route.sourceLocation);
    return undefined;
  }
  return message;
}

export async function handleInbound(msg: JsMsg, deps: InboundDeps): Promise<void> {
  const now = deps.clock.now();
  let message = admit(msg, deps, now);
  if (message === undefined) return;
  if (deps.localName) message = { ...message, to: deps.localName(message.to) };
  if (deps.ledger.seen(message.id)) return;
  const receipts = receiptsOf(deps, msg, message);

  const parent = parseTraceparent(msg.headers?.get(headers.traceparent));
  const trace = { messageId: message.id, traceId: message.traceId, repo: message.repo, from: message.from, to: message.to, kind: message.kind, body: message.body };
  deps.traces.open(trace, {
    where: 'nats',
    event: 'accepted',
    at: now,
    detail: acceptedDetail(msg, parent),
    route: message.route,
  });
  const deadline = ttlDeadline(message);
  if (deadline !== null && now >= deadline) {
    deps.ledger.mark(message.id, now);
    deps.traces.hop(message.id, { where: 'router', event: 'expired', detail: 'TTL over on arrival' });
    receipts.dropped('expired: its TTL was over on arrival');
    return;
  }
  const view = deps.view(message.repo, message.to);
  const ready = view !== undefined && view.location === deps.hostLocation && !isUnreachable(view.status);
  if (ready && !deps.outbox.has(message.repo, message.to) && deps.deliver(message)) {
    deps.ledger.mark(message.id, now);
    deps.traces.hop(message.id, { where: 'agent', event: 'delivered', detail: `to ${message.to}` });
    receipts.delivered();
    return;
  }
  // Not deliverable right now: keep it here, in order, behind anything already held.
  deps.outbox.enqueue({
    message,
    traceparent: traceparentFor(message.traceId),
    reason: 'unreachable',
    enqueuedAt: now,
    expiresAt: deadline ?? now + deps.holdTtlMs,
  });
  deps.ledger.mark(message.id, now);
  deps.traces.hop(message.id, { where: 'outbox', event: 'queued', detail: view ? 'held until the agent can take it' : 'held: agent unknown here' });
  deps.scheduleDrain(message.repo, message.to);
}

/** Reports `received` for an admitted message, and gives what follows for it (no-ops without receipts). */
function receiptsOf(deps: InboundDeps, msg: JsMsg, message: RoutedMessage): { delivered(): void; dropped(reason: string): void } {
  const reporter = deps.receipts;
  const inbox = parseInboxSubject(msg.subject);
  if (!reporter || !inbox || deps.reportAs === undefined) return { delivered: () => undefined, dropped: () => undefined };
  reporter.received(message, { repo: inbox.repo, sender: inbox.sender, by: deps.reportAs });
  return { delivered: () => reporter.delivered(message.id), dropped: (reason) => reporter.dropped(message.id, reason) };
}

/** The `accepted` hop's detail: where in the stream, and the sender's span if it sent one. */
function acceptedDetail(msg: JsMsg, parent: TraceParent | undefined): string {
  return `stream seq ${msg.seq}${msg.info.redelivered ? ' (redelivered)' : ''}${parent ? `; parent span ${parent.spanId}` : ''}`;
}
