/**
 * Which inbound message ids were already handed to a local agent, so a redelivery
 * (JetStream ack lost, outbox retried after a crash, a consumer replayed) is dropped.
 *
 * Kept in SQLite for restarts, with the recent ids in memory so the common check costs
 * no query. New ids are committed in batches every `flushDelayMs` (20 ms), not one
 * commit per message: a commit per delivery would put SQLite (and its WAL checkpoints)
 * in the path of every inbound message. The price is a window of up to 20 ms after a
 * crash in which a message whose ack was also lost could be delivered twice
 * (docs/routing.md). Retention (default 7 days) should cover the stream's max age.
 */
import type { Database, Statement } from 'better-sqlite3';

export const LEDGER_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
const RECENT = 8192;

export class InboundLedger {
  private readonly recent = new Set<string>();
  private pending: Array<[string, number]> = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly check: Statement;
  private readonly insert: Statement;
  private readonly prune: Statement;

  constructor(
    private readonly db: Database,
    private readonly flushDelayMs = 20,
  ) {
    this.check = db.prepare('SELECT 1 FROM inbound_seen WHERE message_id = ?').pluck();
    this.insert = db.prepare('INSERT OR IGNORE INTO inbound_seen (message_id, seen_at) VALUES (?, ?)');
    this.prune = db.prepare('DELETE FROM inbound_seen WHERE seen_at < ?');
  }

  seen(messageId: string): boolean {
    return this.recent.has(messageId) || this.check.get(messageId) !== undefined;
  }

  mark(messageId: string, at: number): void {
    this.recent.add(messageId);
    if (this.recent.size > RECENT) {
      // Sets iterate in insertion order: drop the oldest (it is committed by now).
      const oldest = this.recent.values().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
    this.pending.push([messageId, at]);
    if (this.pending.length >= 1000) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.flushDelayMs);
      this.timer.unref();
    }
  }

  /** Commits the ids marked since the last flush. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0 || !this.db.open) return;
    const batch = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      for (const [id, at] of batch) this.insert.run(id, at);
    })();
  }

  forgetBefore(at: number): number {
    this.flush();
    return this.prune.run(at).changes;
  }
}
