/**
 * The person's conversations in SQLite: every message they sent and every message
 * delivered to them, per peer, bounded (the oldest go first).
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ConversationEntry } from '../../shared/coding-contract.js';
import type { MessageKind } from '../../shared/domain.js';

/** Entries kept per peer; older ones are dropped as new ones arrive. */
export const CONVERSATION_LIMIT_PER_PEER = 5_000;

interface Row {
  message_id: string;
  direction: 'out' | 'in';
  peer: string;
  repo: string;
  at: number;
  kind: string;
  body: string;
  task_id: string | null;
}

export class ConversationStore {
  private readonly insert: Statement<Row>;
  private readonly trim: Statement<{ peer: string; keep: number }>;
  private readonly latest: Statement<{ peer: string; limit: number }, Row>;

  constructor(
    db: Database,
    private readonly limitPerPeer = CONVERSATION_LIMIT_PER_PEER,
  ) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO conversation (message_id, direction, peer, repo, at, kind, body, task_id)
       VALUES (@message_id, @direction, @peer, @repo, @at, @kind, @body, @task_id)`,
    );
    this.trim = db.prepare(
      `DELETE FROM conversation WHERE peer = @peer AND seq <= (
         SELECT seq FROM conversation WHERE peer = @peer ORDER BY seq DESC LIMIT 1 OFFSET @keep)`,
    );
    this.latest = db.prepare(
      `SELECT * FROM (SELECT message_id, direction, peer, repo, at, kind, body, task_id, seq
         FROM conversation WHERE peer = @peer ORDER BY seq DESC LIMIT @limit) ORDER BY seq`,
    );
  }

  /** Keeps `entry` unless that message was kept already in that direction; true when new. */
  append(entry: ConversationEntry): boolean {
    const added = this.insert.run({
      message_id: entry.messageId,
      direction: entry.direction,
      peer: entry.peer,
      repo: entry.repo,
      at: entry.at,
      kind: entry.kind,
      body: JSON.stringify(entry.body ?? null),
      task_id: entry.taskId,
    }).changes === 1;
    if (added) this.trim.run({ peer: entry.peer, keep: this.limitPerPeer });
    return added;
  }

  /** The last `limit` entries with `peer`, oldest first. */
  get(peer: string, limit: number): ConversationEntry[] {
    return this.latest.all({ peer, limit }).map((row) => ({
      messageId: row.message_id,
      at: row.at,
      direction: row.direction,
      peer: row.peer,
      repo: row.repo,
      kind: row.kind as MessageKind,
      body: JSON.parse(row.body) as ConversationEntry['body'],
      taskId: row.task_id,
    }));
  }
}
