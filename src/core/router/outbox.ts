/**
 * The outbox: messages that cannot go yet (link down, destination unreachable, or
 * queued behind those), kept in SQLite in the order they must leave, per destination.
 *
 * The main connection runs WAL with synchronous=NORMAL, which may lose the last
 * commits on power loss. A message the router has told its sender is "queued" must
 * survive that, so the outbox writes through its own connection to the same file with
 * synchronous=FULL: each enqueue fsyncs the WAL before it returns. (synchronous is a
 * per-connection setting; flipping it on the shared connection around each write would
 * be one forgotten reset away from silently weakening every other table.)
 */
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import type { RoutedMessage } from '../../shared/domain.js';
import type { QueueReason } from '../../shared/route-decision.js';

export interface OutboxRow {
  seq: number;
  messageId: string;
  repo: string;
  to: string;
  reason: QueueReason;
  message: RoutedMessage;
  traceparent: string;
  enqueuedAt: number;
  expiresAt: number | null;
  attempts: number;
}

export interface OutboxEntry {
  message: RoutedMessage;
  traceparent: string;
  reason: QueueReason;
  enqueuedAt: number;
  expiresAt: number | null;
}

interface RawRow {
  seq: number;
  message_id: string;
  repo: string;
  to_agent: string;
  reason: string;
  message: string;
  traceparent: string;
  enqueued_at: number;
  expires_at: number | null;
  attempts: number;
}

/** The destination key the router uses for lanes and counts. */
export const destinationKey = (repo: string, to: string): string => `${repo}/${to}`;

export class Outbox {
  private readonly durable: Database;
  private readonly ownsConnection: boolean;
  /** Rows per destination, so the hot path never queries to learn "is anything queued". */
  private readonly counts = new Map<string, number>();
  private readonly insert: Statement;
  private readonly remove: Statement;
  private readonly head: Statement;
  private readonly bump: Statement;

  /**
   * @param db the main connection; its file is opened a second time with synchronous=FULL.
   * An in-memory database cannot be shared, so there the main connection is used.
   */
  constructor(db: Database, options: { nativeBinding?: string } = {}) {
    this.ownsConnection = !db.memory;
    this.durable = this.ownsConnection
      ? new BetterSqlite3(db.name, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
      : db;
    if (this.ownsConnection) {
      this.durable.pragma('busy_timeout = 5000');
      this.durable.pragma('synchronous = FULL');
    }
    this.insert = this.durable.prepare(`INSERT INTO outbox
      (message_id, repo, to_agent, reason, message, traceparent, enqueued_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`);
    this.remove = this.durable.prepare('DELETE FROM outbox WHERE seq = ?');
    this.head = this.durable.prepare('SELECT * FROM outbox WHERE repo = ? AND to_agent = ? ORDER BY seq LIMIT ?');
    this.bump = this.durable.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?');
    const all = this.durable.prepare('SELECT repo, to_agent, COUNT(*) AS n FROM outbox GROUP BY repo, to_agent').all() as Array<{
      repo: string;
      to_agent: string;
      n: number;
    }>;
    for (const row of all) this.counts.set(destinationKey(row.repo, row.to_agent), row.n);
  }

  /** Commits one message durably (fsync) before returning; false if its id was already queued. */
  enqueue(entry: OutboxEntry): boolean {
    const m = entry.message;
    const changes = this.insert.run(m.id, m.repo, m.to, entry.reason, JSON.stringify(m), entry.traceparent, entry.enqueuedAt, entry.expiresAt).changes;
    if (changes === 0) return false;
    const key = destinationKey(m.repo, m.to);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return true;
  }

  /** The oldest `limit` rows for one destination, in the order they must leave. */
  peek(repo: string, to: string, limit = 64): OutboxRow[] {
    return (this.head.all(repo, to, limit) as RawRow[]).map(rowOf);
  }

  /** Removes a row once its message is delivered, acknowledged by JetStream, or expired. */
  delete(row: OutboxRow): void {
    if (this.remove.run(row.seq).changes === 0) return;
    const key = destinationKey(row.repo, row.to);
    const left = (this.counts.get(key) ?? 1) - 1;
    if (left <= 0) this.counts.delete(key);
    else this.counts.set(key, left);
  }

  /** Notes a failed attempt (kept for operators: `attempts`, `last_error`). */
  failedAttempt(row: OutboxRow, error: string): void {
    this.bump.run(error.slice(0, 500), row.seq);
  }

  has(repo: string, to: string): boolean {
    return (this.counts.get(destinationKey(repo, to)) ?? 0) > 0;
  }

  size(): number {
    let n = 0;
    for (const count of this.counts.values()) n += count;
    return n;
  }

  /** The destination with the most queued messages (the problem centre names it), if any. */
  largest(): { repo: string; to: string; count: number } | undefined {
    let best: [string, number] | undefined;
    for (const entry of this.counts) if (!best || entry[1] > best[1]) best = entry;
    if (!best) return undefined;
    const slash = best[0].indexOf('/');
    return { repo: best[0].slice(0, slash), to: best[0].slice(slash + 1), count: best[1] };
  }

  /** Destinations with queued messages. */
  destinations(): Array<{ repo: string; to: string }> {
    return [...this.counts.keys()].map((key) => {
      const slash = key.indexOf('/');
      return { repo: key.slice(0, slash), to: key.slice(slash + 1) };
    });
  }

  close(): void {
    if (this.ownsConnection && this.durable.open) this.durable.close();
  }
}

function rowOf(row: RawRow): OutboxRow {
  return {
    seq: row.seq,
    messageId: row.message_id,
    repo: row.repo,
    to: row.to_agent,
    reason: row.reason as QueueReason,
    message: JSON.parse(row.message) as RoutedMessage,
    traceparent: row.traceparent,
    enqueuedAt: row.enqueued_at,
    expiresAt: row.expires_at,
    attempts: row.attempts,
  };
}
