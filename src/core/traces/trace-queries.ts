/**
 * Reads of the traces tables: paged queries (newest first, keyset cursor) and one
 * message with its hops.
 */
import type { Database } from 'better-sqlite3';
import type { Hop, HopEvent, HopWhere, RouteInfo } from '../../shared/domain.js';
import type { TraceDetail, TracePage, TraceQuery, TraceSummary } from '../../shared/routing-contract.js';

/** A `traces` row as SQLite returns it. */
export interface TraceRow {
  message_id: string;
  trace_id: string;
  repo: string;
  from_agent: string;
  to_agent: string;
  kind: string;
  body: string | null;
  body_truncated: number;
  route: string | null;
  status: string;
  created_at: number;
  updated_at: number;
}

export function summaryOf(row: TraceRow): TraceSummary {
  return {
    messageId: row.message_id,
    traceId: row.trace_id,
    repo: row.repo,
    from: row.from_agent,
    to: row.to_agent,
    kind: row.kind,
    status: row.status as HopEvent,
    route: row.route ? (JSON.parse(row.route) as RouteInfo) : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const DEFAULT_PAGE = 100;

/**
 * One page of traces matching the query.
 *
 * The cursor is `<createdAt>:<messageId>` of the last row served; keyset paging stays
 * correct while new traces arrive, where an offset would shift under the reader.
 */
export function queryTraces(db: Database, query: TraceQuery): TracePage {
  const where: string[] = [];
  const args: Array<string | number> = [];
  if (query.agent !== undefined) {
    where.push('(from_agent = ? OR to_agent = ?)');
    args.push(query.agent, query.agent);
  }
  if (query.kind !== undefined) {
    where.push('kind = ?');
    args.push(query.kind);
  }
  if (query.status !== undefined) {
    where.push('status = ?');
    args.push(query.status);
  }
  if (query.since !== undefined) {
    where.push('created_at >= ?');
    args.push(query.since);
  }
  if (query.until !== undefined) {
    where.push('created_at <= ?');
    args.push(query.until);
  }
  if (query.cursor !== undefined) {
    const split = query.cursor.indexOf(':');
    const at = Number(query.cursor.slice(0, split));
    if (split > 0 && Number.isFinite(at)) {
      where.push('(created_at < ? OR (created_at = ? AND message_id < ?))');
      args.push(at, at, query.cursor.slice(split + 1));
    }
  }
  const limit = query.limit ?? DEFAULT_PAGE;
  const sql = `SELECT * FROM traces ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY created_at DESC, message_id DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...args, limit + 1) as TraceRow[];
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(summaryOf),
    nextCursor: rows.length > limit && last ? `${last.created_at}:${last.message_id}` : null,
  };
}

interface HopRow {
  message_id: string;
  seq: number;
  at: number;
  hop_where: string;
  event: string;
  detail: string;
}

/** One message's summary, stored body and hops in order, or null. */
export function readTrace(db: Database, messageId: string): TraceDetail | null {
  const row = db.prepare('SELECT * FROM traces WHERE message_id = ?').get(messageId) as TraceRow | undefined;
  if (!row) return null;
  const hops = (db.prepare('SELECT * FROM trace_hops WHERE message_id = ? ORDER BY seq').all(messageId) as HopRow[]).map(
    (hop): Hop => ({
      messageId: hop.message_id,
      seq: hop.seq,
      at: hop.at,
      where: hop.hop_where as HopWhere,
      event: hop.event as HopEvent,
      detail: hop.detail,
    }),
  );
  return {
    summary: summaryOf(row),
    body: row.body === null ? null : (JSON.parse(row.body) as TraceDetail['body']),
    bodyTruncated: row.body_truncated === 1,
    hops,
  };
}
