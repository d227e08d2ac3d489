/**
 * The sending side of receipts: reads the receipts for messages this host sent and
 * writes them as hops on those messages' traces.
 *
 * Trust: a receipt only ever writes on a message this host published itself (a bounded
 * ledger of sent messages, by id and repo), and only when its publisher — the subject's
 * last token, which the NATS server vouches for (docs/nats.md, Receipts) — is the
 * message's recipient side: the recipient's name is in the publisher's name space
 * (`<by>.<name>`), or the team registry records the publisher as the recipient's owner.
 * Receipts only move a trace forward (received → delivered → answered; rejected ends
 * it); a repeat or an older one is ignored. Anything else is counted and dropped.
 *
 * Clocks: hop times on the receiving host come from its clock. The first receipt of a
 * message gives four times — left here (t0, ours), received there (t1, theirs), batch
 * sent there (t2, theirs), batch arrived here (t3, ours). Causality bounds the offset θ
 * between the clocks (theirs − ours): it was received after it left, t1 − θ ≥ t0, and the
 * batch arrived after it was sent, t2 − θ ≤ t3. Clocks of machines on NTP agree to a few
 * ms, so θ is taken as 0 when that fits the bounds, else the nearest bound: the least
 * correction that makes the order possible. (NTP's midpoint, ((t1 − t0) + (t2 − t3)) / 2,
 * was tried and is worse here: the way out — a JetStream store and a consumer pull — is
 * much slower than the way back — a plain publish — so it is off by half the difference
 * even between two processes on one machine.) The time spent crossing, both ways
 * together, (t3 − t0) − (t2 − t1), needs no offset at all. Remote times are mapped with
 * the message's θ (so differences between remote hops stay exact), clamped so the
 * timeline never runs backwards or into the future, and each remote hop's detail keeps
 * the remote time as it was reported.
 */
import type { HopWhere } from '../../shared/domain.js';
import { parseJsonText } from '../../shared/json-limits.js';
import { ANONYMOUS_SENDER, parseReceiptSubject } from '../../shared/nats-subjects.js';
import { parseUnknown } from '../../shared/parse.js';
import type { Receipt, ReceiptBatch, ReceiptEvent } from '../../shared/receipts.js';
import { RECEIPT_JSON_LIMITS, ReceiptBatch as ReceiptBatchSchema } from '../../shared/receipts.js';
import type { Clock } from '../clock.js';
import type { TraceStore } from '../traces/trace-store.js';

export const RECEIPT_COLLECTOR_DEFAULTS = {
  /** Sent messages remembered for their receipts. */
  maxSent: 10_000,
  /** How long a sent message can still receive receipts (an answer may take a while). */
  sentTtlMs: 60 * 60 * 1000,
  /** Receipts kept for a message whose publish has not been acknowledged yet. */
  maxEarly: 8,
} as const;

/** Counters of the receipts this host read. */
export interface ReceiptReadStats {
  /** Written on a trace. */
  applied: number;
  /** For a message we did not send (or no longer remember), or a repeat. */
  ignored: number;
  /** Published by someone who is not the message's recipient side. */
  refused: number;
  /** Batches that failed to parse. */
  malformed: number;
}

interface Sent {
  repo: string;
  /** The recipient as named on the wire. */
  to: string;
  /** When it left (ours). */
  sentAt: number;
  published: boolean;
  /** remote − local, ms, once estimated. */
  offset?: number;
  /** Estimated network time there and back, ms. */
  networkMs?: number;
  rank: number;
  /** The last hop time written (ours), and the last remote time seen (theirs). */
  lastAt: number;
  lastRemoteAt?: number;
  early: Array<{ receipt: Receipt; batch: ReceiptBatch; by: string; arrivedAt: number }>;
}

const RANK: Record<ReceiptEvent, number> = { received: 1, delivered: 2, answered: 3, rejected: 3 };

export interface ReceiptCollectorOptions {
  traces: Pick<TraceStore, 'hop' | 'get'>;
  clock: Clock;
  /** The team registry's owner of an agent (the mirror), if known. */
  ownerOf(repo: string, name: string): string | undefined;
  /** Whether `~` may report: only on a server-token deployment, where nobody can be authenticated. */
  anonymousAllowed(): boolean;
  maxSent?: number;
  sentTtlMs?: number;
}

export class ReceiptCollector {
  private readonly sent = new Map<string, Sent>();
  private readonly counters: ReceiptReadStats = { applied: 0, ignored: 0, refused: 0, malformed: 0 };
  private readonly maxSent: number;
  private readonly ttlMs: number;

  constructor(private readonly options: ReceiptCollectorOptions) {
    this.maxSent = options.maxSent ?? RECEIPT_COLLECTOR_DEFAULTS.maxSent;
    this.ttlMs = options.sentTtlMs ?? RECEIPT_COLLECTOR_DEFAULTS.sentTtlMs;
  }

  /** A message is about to be published to `to` (its wire name): its receipts will be believed. */
  sending(messageId: string, repo: string, to: string, at: number): void {
    const known = this.sent.get(messageId);
    if (known) {
      // A retry from the outbox: the clock estimate starts from this attempt.
      known.sentAt = at;
      known.lastAt = at;
      return;
    }
    for (const [oldId, old] of this.sent) {
      if (this.sent.size < this.maxSent && at - old.sentAt < this.ttlMs) break;
      this.sent.delete(oldId);
    }
    this.sent.set(messageId, { repo, to, sentAt: at, published: false, rank: 0, lastAt: at, early: [] });
  }

  /** Its publish was acknowledged (and its `published` hop recorded at `at`): receipts that came early are written now. */
  published(messageId: string, at: number): void {
    const entry = this.sent.get(messageId);
    if (!entry) return;
    entry.published = true;
    entry.lastAt = Math.max(entry.lastAt, at);
    // Written after the published hop, so no earlier than it on the timeline either.
    for (const early of entry.early.splice(0)) this.apply(messageId, entry, early.receipt, early.batch, early.by, Math.max(early.arrivedAt, at));
  }

  /** One NATS message on our receipts subject. */
  receive(subject: string, data: Uint8Array): void {
    const arrivedAt = this.options.clock.now();
    const parsedSubject = parseReceiptSubject(subject);
    let batch: ReceiptBatch;
    try {
      if (!parsedSubject) throw new Error(`"${subject}" is not a receipts subject`);
      batch = parseUnknown(ReceiptBatchSchema, parseJsonText(data, RECEIPT_JSON_LIMITS, 'receipt batch'), 'receipt batch');
    } catch {
      this.counters.malformed++;
      return;
    }
    const { repo, by } = parsedSubject;
    for (const receipt of batch.receipts) {
      const entry = this.sent.get(receipt.messageId);
      if (!entry || entry.repo !== repo) {
        this.counters.ignored++;
        continue;
      }
      if (!this.isRecipientSide(entry, by)) {
        this.counters.refused++;
        continue;
      }
      if (!entry.published) {
        if (entry.early.length < RECEIPT_COLLECTOR_DEFAULTS.maxEarly) entry.early.push({ receipt, batch, by, arrivedAt });
        else this.counters.ignored++;
        continue;
      }
      this.apply(receipt.messageId, entry, receipt, batch, by, arrivedAt);
    }
  }

  stats(): ReceiptReadStats {
    return { ...this.counters };
  }

  /** Sent messages remembered now. */
  size(): number {
    return this.sent.size;
  }

  /**
   * An answer cannot have been sent after it arrived here: the offset is an estimate (it
   * takes the receipts' way back as instant), so an `answered` hop is held at or before
   * the local trace of the answer it names, when this desktop has traced it.
   */
  private answerArrivedAt(receipt: Receipt): number {
    if (receipt.event !== 'answered' || receipt.detail === undefined) return Number.POSITIVE_INFINITY;
    return this.options.traces.get(receipt.detail)?.summary.createdAt ?? Number.POSITIVE_INFINITY;
  }

  private isRecipientSide(entry: Sent, by: string): boolean {
    if (by === ANONYMOUS_SENDER) return this.options.anonymousAllowed();
    return entry.to.startsWith(`${by}.`) || this.options.ownerOf(entry.repo, entry.to) === by;
  }

  private apply(messageId: string, entry: Sent, receipt: Receipt, batch: ReceiptBatch, by: string, arrivedAt: number): void {
    const rank = RANK[receipt.event];
    if (rank <= entry.rank) {
      this.counters.ignored++;
      return;
    }
    if (entry.offset === undefined) {
      const [t0, t1, t2, t3] = [entry.sentAt, receipt.at, batch.sentAt, arrivedAt];
      // θ ∈ [t2 − t3, t1 − t0]; 0 when the clocks may agree. (Empty bounds mean a clock jumped: take the upper.)
      entry.offset = Math.min(Math.max(0, t2 - t3), t1 - t0);
      entry.networkMs = Math.max(0, t3 - t0 - (t2 - t1));
    }
    const mapped = Math.round(receipt.at - entry.offset);
    const at = Math.max(Math.min(mapped, arrivedAt, this.answerArrivedAt(receipt)), entry.lastAt);
    const sinceRemote = entry.lastRemoteAt === undefined ? undefined : receipt.at - entry.lastRemoteAt;
    entry.rank = receipt.event === 'rejected' ? Number.MAX_SAFE_INTEGER : rank;
    entry.lastAt = at;
    entry.lastRemoteAt = receipt.at;
    const clock = `${isoTime(receipt.at)} on ${who(by, batch.host)}'s clock`;
    const step = sinceRemote === undefined ? `${entry.networkMs} ms crossing, both ways` : `${sinceRemote} ms after the previous remote hop`;
    this.options.traces.hop(messageId, {
      where: whereOf(receipt.event, batch.host),
      event: receipt.event,
      at,
      detail: `${what(receipt, entry, by, batch.host)}; remote time ${clock} (${step}; offset ${Math.round(entry.offset)} ms)`,
    });
    this.counters.applied++;
    if (entry.rank >= RANK.answered) this.sent.delete(messageId);
  }
}

function whereOf(event: ReceiptEvent, host: ReceiptBatch['host']): HopWhere {
  return event === 'delivered' || event === 'answered' ? 'remote-agent' : host;
}

function who(by: string, host: ReceiptBatch['host']): string {
  if (host === 'coordinator') return 'the coordinator';
  return by === ANONYMOUS_SENDER ? 'the remote desktop' : `${by}'s desktop`;
}

function what(receipt: Receipt, entry: Sent, by: string, host: ReceiptBatch['host']): string {
  switch (receipt.event) {
    case 'received':
      return `received by ${who(by, host)}`;
    case 'delivered':
      return `delivered to ${entry.to}`;
    case 'answered':
      return `${entry.to} answered${receipt.detail ? ` with ${receipt.detail}` : ''}`;
    case 'rejected':
      return `rejected by ${who(by, host)}: ${receipt.detail ?? 'no reason given'}`;
  }
}

/** "14:03:07.042Z": the remote time as reported, in UTC (it is another machine's clock). */
function isoTime(at: number): string {
  return new Date(at).toISOString().slice(11);
}
