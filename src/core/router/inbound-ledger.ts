/**
 * Which inbound message ids were already handed to a local agent, so a redelivery
 * (JetStream ack lost, outbox retried after a crash, a consumer replayed) is dropped.
 *
 * Kept in SQLite for restarts, with the last few thousand ids in memory so the common
 * check costs no query. Retention (default 7 days, docs/routing.md) should cover the
 * message stream's max age: older ids cannot be replayed.
 */
import type { Database, Statement } from 'better-sqlite3';

export const LEDGER_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
const RECENT = 4096;

export class InboundLedger {
  private readonly recent = new Set<string>();
  private readonly check: Statement;
  private readonly insert: Statement;
  private readonly prune: Statement;

  constructor(db: Database) {
    this.check = db.prepare('SELECT 1 FROM inbound_seen WHERE message_id = ?').pluck();
    this.insert = db.prepare('INSERT OR IGNORE INTO inbound_seen (message_id, seen_at) VALUES (?, ?)');
    this.prune = db.prepare('DELETE FROM inbound_seen WHERE seen_at < ?');
  }

  seen(messageId: string): boolean {
    return this.recent.has(messageId) || this.check.get(messageId) !== undefined;
  }

  mark(messageId: string, at: number): void {
    this.insert.run(messageId, at);
    this.recent.add(messageId);
    if (this.recent.size > RECENT) {
      // Sets iterate in insertion order: drop the oldest.
      const oldest = this.recent.values().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }

  forgetBefore(at: number): number {
    return this.prune.run(at).changes;
  }
}
