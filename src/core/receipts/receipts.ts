/**
 * Receipts on one host: the reporter and its batcher (the receiving side), the collector
 * (the sending side), and the subscription that feeds it — one object a router, or the
 * coordinator's team runner, holds.
 *
 * docs/routing.md (Receipts) is the user's account; docs/nats.md the subjects and permissions.
 */
import type { NatsConnection, Subscription } from 'nats.ws';
import { subjects } from '../../shared/nats-subjects.js';
import type { ReceiptBatch, ReceiptHost } from '../../shared/receipts.js';
import type { Clock } from '../clock.js';
import type { TraceStore } from '../traces/trace-store.js';
import type { ReceiptSendStats } from './receipt-batcher.js';
import { ReceiptBatcher } from './receipt-batcher.js';
import type { ReceiptReadStats } from './receipt-collector.js';
import { ReceiptCollector } from './receipt-collector.js';
import { ReceiptReporter } from './receipt-reporter.js';

export interface ReceiptsOptions {
  host: ReceiptHost;
  clock: Clock;
  /** The live connection receipts go out on; none means the batch is dropped (and counted). */
  connection(): NatsConnection | undefined;
  /** Where receipts for our messages are written; without it this host only reports. */
  traces?: Pick<TraceStore, 'hop' | 'get'>;
  ownerOf?(repo: string, name: string): string | undefined;
  anonymousAllowed?(): boolean;
  flushMs?: number;
  maxPending?: number;
  onError?: (error: unknown) => void;
}

export interface ReceiptStats extends ReceiptSendStats, ReceiptReadStats {}

const encoder = new TextEncoder();

export class Receipts {
  readonly batcher: ReceiptBatcher;
  readonly reporter: ReceiptReporter;
  readonly collector: ReceiptCollector | undefined;
  private subscription: Subscription | undefined;

  constructor(private readonly options: ReceiptsOptions) {
    this.batcher = new ReceiptBatcher({
      host: options.host,
      clock: options.clock,
      flushMs: options.flushMs,
      maxPending: options.maxPending,
      onError: options.onError,
      publish: (subject: string, batch: ReceiptBatch) => {
        const conn = options.connection();
        if (!conn || conn.isClosed()) return false;
        // A plain publish: buffered by the client, never awaited, never retried.
        conn.publish(subject, encoder.encode(JSON.stringify(batch)));
        return true;
      },
    });
    this.reporter = new ReceiptReporter({ batcher: this.batcher, clock: options.clock });
    this.collector = options.traces
      ? new ReceiptCollector({
          traces: options.traces,
          clock: options.clock,
          ownerOf: options.ownerOf ?? (() => undefined),
          anonymousAllowed: options.anonymousAllowed ?? (() => false),
        })
      : undefined;
  }

  /** Reads the receipts for what `token` sends in `repo` over `conn` (again after each reconnect). */
  listen(conn: NatsConnection, repo: string, token: string): void {
    this.stopListening();
    const collector = this.collector;
    if (!collector) return;
    this.subscription = conn.subscribe(subjects.receiptsFor(repo, token), {
      callback: (error, msg) => {
        if (error) {
          this.options.onError?.(error);
          return;
        }
        collector.receive(msg.subject, msg.data);
      },
    });
  }

  stopListening(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  stats(): ReceiptStats {
    return { ...this.batcher.stats(), ...(this.collector?.stats() ?? { applied: 0, ignored: 0, refused: 0, malformed: 0 }) };
  }

  close(): void {
    this.stopListening();
    this.batcher.close();
  }
}
