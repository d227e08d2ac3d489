/**
 * The blackboard's rows in SQLite (migration 0008): the local board and the copy of
 * the team's bucket, each revision one row, at most CONTEXT_HISTORY kept per key.
 *
 * The database sits behind this one module; readers get ContextEntry values.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ContextEntry } from '../../shared/blackboard.js';
import { CONTEXT_HISTORY } from '../../shared/nats-subjects.js';

/** `local`: this desktop's own board (hybrid off); `team`: the copy of the team's bucket. */
export type ContextScope = 'local' | 'team';

interface Row {
  repo: string;
  key: string;
  revision: number;
  value: string | null;
  writer: string;
  updated_at: number;
  expires_at: number | null;
  operation: 'put' | 'delete';
}

const entryOf = (row: Row): ContextEntry => ({
  repo: row.repo,
  key: row.key,
  value: row.value === null ? null : (JSON.parse(row.value) as ContextEntry['value']),
  writer: row.writer,
  revision: row.revision,
  updatedAt: row.updated_at,
  expiresAt: row.expires_at,
  operation: row.operation,
});

/** Rows whose key is the prefix or lies under it (`task/t-1` covers `task/t-1/result`); '' covers all. */
const UNDER = `(? = '' OR key = ? OR substr(key, 1, length(?) + 1) = ? || '/')`;
const NEWEST = `revision = (SELECT MAX(revision) FROM context_entries n WHERE n.scope = e.scope AND n.repo = e.repo AND n.key = e.key)`;

export class ContextStore {
  private readonly insert: Statement;
  private readonly prune: Statement;
  private readonly newest: Statement;
  private readonly historyOf: Statement;
  private readonly listUnder: Statement;
  private readonly lastRevision: Statement;
  private readonly expiredRows: Statement;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(`INSERT OR IGNORE INTO context_entries
      (scope, repo, key, revision, value, writer, updated_at, expires_at, operation)
      VALUES (@scope, @repo, @key, @revision, @value, @writer, @updatedAt, @expiresAt, @operation)`);
    this.prune = db.prepare(`DELETE FROM context_entries WHERE scope = ? AND repo = ? AND key = ? AND revision NOT IN
      (SELECT revision FROM context_entries WHERE scope = ? AND repo = ? AND key = ? ORDER BY revision DESC LIMIT ${CONTEXT_HISTORY})`);
    this.newest = db.prepare('SELECT * FROM context_entries WHERE scope = ? AND repo = ? AND key = ? ORDER BY revision DESC LIMIT 1');
    this.historyOf = db.prepare('SELECT * FROM context_entries WHERE scope = ? AND repo = ? AND key = ? ORDER BY revision DESC');
    this.listUnder = db.prepare(`SELECT * FROM context_entries e WHERE scope = ? AND repo = ? AND ${UNDER} AND ${NEWEST} ORDER BY key`);
    this.lastRevision = db.prepare('SELECT COALESCE(MAX(revision), 0) AS last FROM context_entries WHERE scope = ?');
    this.expiredRows = db.prepare(`SELECT * FROM context_entries e WHERE scope = ? AND expires_at IS NOT NULL AND expires_at <= ? AND operation = 'put' AND ${NEWEST}`);
  }

  /** Adds revisions (a replayed one is ignored); returns those that were new, in order. */
  append(scope: ContextScope, entries: readonly ContextEntry[]): ContextEntry[] {
    const added: ContextEntry[] = [];
    this.db.transaction(() => {
      for (const entry of entries) {
        const row = { scope, ...entry, value: entry.value === null ? null : JSON.stringify(entry.value) };
        if (this.insert.run(row).changes === 0) continue;
        this.prune.run(scope, entry.repo, entry.key, scope, entry.repo, entry.key);
        added.push(entry);
      }
    })();
    return added;
  }

  /** The newest revision of a key, live or not. */
  latest(scope: ContextScope, repo: string, key: string): ContextEntry | undefined {
    const row = this.newest.get(scope, repo, key) as Row | undefined;
    return row ? entryOf(row) : undefined;
  }

  /** Every kept revision of a key, newest first. */
  history(scope: ContextScope, repo: string, key: string): ContextEntry[] {
    return (this.historyOf.all(scope, repo, key) as Row[]).map(entryOf);
  }

  /** The newest revision of each key under a prefix, by key. */
  list(scope: ContextScope, repo: string, prefix: string): ContextEntry[] {
    return (this.listUnder.all(scope, repo, prefix, prefix, prefix, prefix) as Row[]).map(entryOf);
  }

  /** The highest revision held (the local board numbers its writes from it). */
  lastRevisionOf(scope: ContextScope): number {
    return (this.lastRevision.get(scope) as { last: number }).last;
  }

  /** Keys whose newest revision is a put that expired by `now`. */
  expired(scope: ContextScope, now: number): ContextEntry[] {
    return (this.expiredRows.all(scope, now) as Row[]).map(entryOf);
  }

  /** Drops a repo's copy of the team board (a resync found another bucket). */
  clear(scope: ContextScope, repo: string): void {
    this.db.prepare('DELETE FROM context_entries WHERE scope = ? AND repo = ?').run(scope, repo);
  }
}
