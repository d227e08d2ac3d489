/**
 * The receiving side's outgoing receipts: batched per destination and per tick, bounded,
 * and dropped first.
 *
 * Why: a receipt is diagnostics about a message, never the message. Adding one must be
 * O(1) and never wait on the network, so the inbound handler that delivers messages is
 * not slowed by it; sending one NATS message per receipt would double the cost of every
 * message, so each destination (the sender's receipts subject) gets one publish per tick
 * with everything that piled up. When more receipts wait than `maxPending` (a flood, or
 * a link too slow to keep up), new ones are dropped and counted; with no connection at
 * flush time the batch is dropped and counted too. Nothing is retried.
 */
import type { Clock } from '../clock.js';
import type { Receipt, ReceiptBatch, ReceiptHost } from '../../shared/receipts.js';
import { MAX_RECEIPTS_PER_BATCH } from '../../shared/receipts.js';

/** Defaults, documented in docs/routing.md (Receipts). */
export const RECEIPT_BATCH_DEFAULTS = {
  /** How long the first receipt of a batch waits for others: one tick of the receipt clock. */
  flushMs: 20,
  /** Receipts waiting to be sent, all destinations together, before new ones are dropped. */
  maxPending: 2_000,
} as const;

/** Publishes one batch; false (or a throw) means it did not go out, and it is counted as dropped. */
export type ReceiptPublish = (subject: string, batch: ReceiptBatch) => boolean;

export interface ReceiptBatcherOptions {
  host: ReceiptHost;
  clock: Clock;
  publish: ReceiptPublish;
  flushMs?: number;
  maxPending?: number;
  onError?: (error: unknown) => void;
}

/** Counters of the receipts this host reported. */
export interface ReceiptSendStats {
  /** Receipts that went out. */
  sent: number;
  /** NATS messages they went in. */
  batches: number;
  /** Receipts dropped: over the pending bound, or no connection at flush time. */
  dropped: number;
}

export class ReceiptBatcher {
  private readonly bySubject = new Map<string, Receipt[]>();
  private pending = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly counters: ReceiptSendStats = { sent: 0, batches: 0, dropped: 0 };
  private readonly flushMs: number;
  private readonly maxPending: number;

  constructor(private readonly options: ReceiptBatcherOptions) {
    this.flushMs = options.flushMs ?? RECEIPT_BATCH_DEFAULTS.flushMs;
    this.maxPending = options.maxPending ?? RECEIPT_BATCH_DEFAULTS.maxPending;
  }

  /** Queues one receipt for `subject`; false when it was dropped (bound reached, or closed). */
  add(subject: string, receipt: Receipt): boolean {
    if (this.closed || this.pending >= this.maxPending) {
      this.counters.dropped++;
      return false;
    }
    const list = this.bySubject.get(subject);
    if (list) list.push(receipt);
    else this.bySubject.set(subject, [receipt]);
    this.pending++;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.flushMs);
      this.timer.unref();
    }
    return true;
  }

  /** Sends everything pending now: one NATS message per subject (more past MAX_RECEIPTS_PER_BATCH). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === 0) return;
    const subjects = [...this.bySubject];
    this.bySubject.clear();
    this.pending = 0;
    const sentAt = this.options.clock.now();
    for (const [subject, receipts] of subjects) {
      for (let i = 0; i < receipts.length; i += MAX_RECEIPTS_PER_BATCH) {
        const chunk = receipts.slice(i, i + MAX_RECEIPTS_PER_BATCH);
        let ok = false;
        try {
          ok = this.options.publish(subject, { v: 1, host: this.options.host, sentAt, receipts: chunk });
        } catch (error) {
          this.options.onError?.(error);
        }
        if (ok) {
          this.counters.sent += chunk.length;
          this.counters.batches++;
        } else this.counters.dropped += chunk.length;
      }
    }
  }

  stats(): ReceiptSendStats {
    return { ...this.counters };
  }

  /** Receipts waiting for the next flush. */
  size(): number {
    return this.pending;
  }

  /** Sends what is pending and refuses more. */
  close(): void {
    this.flush();
    this.closed = true;
  }
}
