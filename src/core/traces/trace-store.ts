/**
 * Message traces: one summary row per message, one row per hop, in SQLite.
 *
 * Writes are buffered and committed together in one transaction once the router has
 * been quiet for `flushIdleMs` (10 ms: longer than a message spends in flight on NATS),
 * and at the latest `flushMaxDelayMs` (250 ms) after the first buffered hop: a router
 * handling thousands of messages a second must not pay a commit per hop, nor make a
 * message wait behind a commit while others are in flight.
 * The same flush feeds the batched `messages.routed` event, so the UI gets at most one
 * update per flush. Traces are diagnostics: a crash may lose the last buffered hops,
 * never a message (that is the outbox's job).
 */
import type { Database, Statement } from 'better-sqlite3';
import type { HopEvent, HopWhere, RouteInfo } from '../../shared/domain.js';
import type { TraceDetail, TracePage, TraceQuery, TraceSummary } from '../../shared/routing-contract.js';
import type { Clock } from '../clock.js';
import type { TraceRow } from './trace-queries.js';
import { queryTraces, readTrace, summaryOf } from './trace-queries.js';

/** Defaults, documented in docs/routing.md. */
export const TRACE_DEFAULTS = {
  maxMessages: 100_000,
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  bodyLimitBytes: 64 * 1024,
  pruneEveryMs: 10_000,
  flushIdleMs: 10,
  flushMaxDelayMs: 250,
  /** Buffered hops that force a flush regardless. */
  flushMaxPending: 5000,
} as const;

export interface TraceStoreOptions {
  clock: Clock;
  maxMessages?: number;
  maxAgeMs?: number;
  /** Bodies above this are kept cut, marked truncated. */
  bodyLimitBytes?: number;
  /** Quiet time after which buffered hops are committed (and emitted as one batch). */
  flushIdleMs?: number;
  /** The longest a hop waits to be committed while messages keep coming. */
  flushMaxDelayMs?: number;
  flushMaxPending?: number;
  /** How often retention runs, at most (it rides on a flush). */
  pruneEveryMs?: number;
  /** Secrets that must never be written (the API token); read at each flush. */
  secrets?: () => Array<string | undefined>;
  /** Receives each flushed batch of new or changed summaries. */
  onBatch?: (items: TraceSummary[]) => void;
  /** A trace that could not be written (logged too): the person misses it in Traces. */
  onError?: (error: unknown) => void;
}

/** The first facts of a message, recorded with its first hop. */
export interface TraceOpen {
  messageId: string;
  traceId: string;
  repo: string;
  from: string;
  to: string;
  kind: string;
  /** The body, or undefined when it must not be kept (rejected input). */
  body?: unknown;
}

export interface HopInput {
  where: HopWhere;
  event: HopEvent;
  detail?: string;
  at?: number;
  /** The route as stamped at this hop, when it changed. */
  route?: RouteInfo;
}

type Op = { open?: TraceOpen; known?: TraceOpen; messageId: string; hop: Required<Omit<HopInput, 'route'>> & { route?: RouteInfo } };

const MAX_DETAIL = 2048;

export class TraceStore {
  private pending: Op[] = [];
  private timer: NodeJS.Timeout | undefined;
  private firstPendingAt = 0;
  private lastPushAt = 0;
  private lastPrune = 0;
  private readonly insertTrace: Statement;
  private readonly updateTrace: Statement;
  private readonly insertHop: Statement;
  private readonly insertHopAt: Statement;
  private readonly selectSummary: Statement;
  private readonly opts: Required<Omit<TraceStoreOptions, 'onBatch' | 'secrets' | 'onError'>> & TraceStoreOptions;

  constructor(
    private readonly db: Database,
    options: TraceStoreOptions,
  ) {
    this.opts = { ...TRACE_DEFAULTS, ...options };
    this.insertTrace = db.prepare(`INSERT INTO traces
      (message_id, trace_id, repo, from_agent, to_agent, kind, body, body_truncated, route, status, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`);
    this.updateTrace = db.prepare(`UPDATE traces SET status = ?, updated_at = ?, route = COALESCE(?, route)
      WHERE message_id = ?`);
    // The seq is computed in SQL so it stays dense even when hops of one message come
    // from two runs of the core (a message queued before a restart, flushed after).
    this.insertHop = db.prepare(`INSERT INTO trace_hops (message_id, seq, at, hop_where, event, detail)
      VALUES (?, (SELECT COALESCE(MAX(seq), -1) + 1 FROM trace_hops WHERE message_id = ?), ?, ?, ?, ?)`);
    this.insertHopAt = db.prepare(`INSERT INTO trace_hops (message_id, seq, at, hop_where, event, detail) VALUES (?, ?, ?, ?, ?, ?)`);
    this.selectSummary = db.prepare(`SELECT * FROM traces WHERE message_id = ?`);
  }

  /** Records a message's first hop (and its row); a second open of the same id only adds the hop. */
  open(trace: TraceOpen, hop: HopInput): void {
    this.push({ open: trace, messageId: trace.messageId, hop: this.hopOf(hop) });
  }

  /**
   * Records one more hop of a message.
   *
   * `known` describes the message in case its row is missing: traces are written per
   * tick, so a crash can lose the row of a message the durable outbox still holds.
   */
  hop(messageId: string, hop: HopInput, known?: TraceOpen): void {
    this.push({ messageId, hop: this.hopOf(hop), known });
  }

  /** Commits what is buffered and emits one batch. Reads call it first. */
  flush(): void {
    if (this.pending.length === 0) return;
    const ops = this.pending;
    this.pending = [];
    const secrets = (this.opts.secrets?.() ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 4);
    const scrub = (text: string): string => secrets.reduce((acc, s) => acc.split(s).join('[redacted]'), text);
    // One row write per message per batch: its hops are grouped, the row gets the last
    // status and route, and a row inserted here numbers its hops without a lookup.
    const groups = new Map<string, Op[]>();
    for (const op of ops) {
      const group = groups.get(op.messageId);
      if (group) group.push(op);
      else groups.set(op.messageId, [op]);
    }
    this.db.transaction(() => {
      for (const [id, group] of groups) {
        try {
          this.writeGroup(id, group, scrub);
        } catch (error) {
          // One bad record must not cost the batch its other traces.
          console.error('[switchyard] trace record failed:', (error as Error).message);
          this.opts.onError?.(error);
          groups.delete(id);
        }
      }
    })();
    const touched = groups.keys();
    const now = this.opts.clock.now();
    if (now - this.lastPrune >= this.opts.pruneEveryMs) this.prune(now);
    if (!this.opts.onBatch) return;
    const items: TraceSummary[] = [];
    for (const id of touched) {
      const row = this.selectSummary.get(id) as TraceRow | undefined;
      if (row) items.push(summaryOf(row));
    }
    if (items.length > 0) this.opts.onBatch(items);
  }

  query(query: TraceQuery = {}): TracePage {
    this.flush();
    return queryTraces(this.db, query);
  }

  get(messageId: string): TraceDetail | null {
    this.flush();
    return readTrace(this.db, messageId);
  }

  /** Deletes traces older than maxAgeMs and beyond maxMessages (oldest first). */
  prune(now = this.opts.clock.now()): number {
    this.lastPrune = now;
    const byAge = this.db.prepare(`DELETE FROM traces WHERE created_at < ?`).run(now - this.opts.maxAgeMs).changes;
    const byCount = this.db
      .prepare(`DELETE FROM traces WHERE message_id IN
        (SELECT message_id FROM traces ORDER BY created_at DESC, message_id DESC LIMIT -1 OFFSET ?)`)
      .run(this.opts.maxMessages).changes;
    return byAge + byCount;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }

  private push(op: Op): void {
    this.pending.push(op);
    const now = performance.now();
    this.lastPushAt = now;
    if (this.timer) return;
    this.firstPendingAt = now;
    this.timer = setTimeout(() => this.maybeFlush(), this.opts.flushIdleMs);
    this.timer.unref();
  }

  /** Flushes when the router went quiet, the oldest hop waited long enough, or the buffer is full. */
  private maybeFlush(): void {
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const now = performance.now();
    const quietFor = now - this.lastPushAt;
    const due =
      quietFor >= this.opts.flushIdleMs ||
      now - this.firstPendingAt >= this.opts.flushMaxDelayMs ||
      this.pending.length >= this.opts.flushMaxPending;
    if (!due) {
      this.timer = setTimeout(() => this.maybeFlush(), Math.max(1, this.opts.flushIdleMs - quietFor));
      this.timer.unref();
      return;
    }
    try {
      this.flush();
    } catch (error) {
      // A closed database at shutdown; traces are best effort.
      if (this.db.open) {
        console.error('[switchyard] trace flush failed:', error);
        this.opts.onError?.(error);
      }
    }
  }

  private writeGroup(id: string, group: Op[], scrub: (text: string) => string): void {
    const first = group[0]!.hop;
    const last = group[group.length - 1]!.hop;
    let route: string | null = null;
    for (const op of group) if (op.hop.route) route = JSON.stringify(op.hop.route);
    const open = group.find((op) => op.open)?.open;
    let seq: number | undefined;
    if (open !== undefined && this.insertRow(open, first.at, last, route, scrub)) seq = 0;
    else if (this.updateTrace.run(last.event, last.at, route, id).changes === 0) {
      const known = group.find((op) => op.known)?.known;
      this.insertRow(known ?? { messageId: id, traceId: '', repo: '?', from: '?', to: '?', kind: '?' }, first.at, last, route, scrub);
    }
    for (const { hop } of group) {
      if (seq === undefined) this.insertHop.run(id, id, hop.at, hop.where, hop.event, scrub(hop.detail));
      else this.insertHopAt.run(id, seq++, hop.at, hop.where, hop.event, scrub(hop.detail));
    }
  }

  private insertRow(t: TraceOpen, createdAt: number, last: Op['hop'], route: string | null, scrub: (text: string) => string): boolean {
    const [body, truncated] = this.bodyText(t.body, scrub);
    return this.insertTrace.run(t.messageId, t.traceId, t.repo, cut(t.from, 128), cut(t.to, 128), cut(t.kind, 64),
      body, truncated ? 1 : 0, route, last.event, createdAt, last.at).changes === 1;
  }

  private hopOf(hop: HopInput): Op['hop'] {
    return { where: hop.where, event: hop.event, detail: cut(hop.detail ?? '', MAX_DETAIL), at: hop.at ?? this.opts.clock.now(), route: hop.route };
  }

  private bodyText(body: unknown, scrub: (text: string) => string): [string | null, boolean] {
    if (body === undefined) return [null, false];
    const text = scrub(JSON.stringify(body));
    if (Buffer.byteLength(text) <= this.opts.bodyLimitBytes) return [text, false];
    return [JSON.stringify(text.slice(0, this.opts.bodyLimitBytes)), true];
  }
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}
