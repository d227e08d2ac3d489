/**
 * How a trace reads in the table and the inspector: times, routes, latency, status
 * tones, the hop timeline, and the body as capped text. Pure, so it is unit-tested.
 */
import type { Hop, HopEvent, Location, RouteInfo } from '../../../shared/domain.js';
import type { TraceSummary } from '../../../shared/routing-contract.js';
import { IN_FLIGHT } from '../model/trace-filter.js';

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** "14:03:07.042" in local time: a table cell's worth. */
export function formatClock(at: number): string {
  const d = new Date(at);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

const LOCATION_LABEL: Record<Location, string> = { local: 'laptop', remote: 'remote' };

/** "local · laptop → laptop", "nats · laptop → remote", "—" for a message never routed. */
export function formatRoute(route: RouteInfo | null): string {
  if (!route) return '—';
  return `${route.routedVia} · ${LOCATION_LABEL[route.sourceLocation]} → ${LOCATION_LABEL[route.destLocation]}`;
}

/** "0.8 ms", "12 ms", "1.4 s", "2m 05s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 10) return `${Math.round(ms * 10) / 10} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}m ${pad2(s % 60)}s`;
}

/**
 * The latency column: first hop to the last one for a message that arrived or ended,
 * "…" while it is still on its way (the inspector shows how long so far).
 */
export function formatLatency(row: TraceSummary): string {
  if (IN_FLIGHT.has(row.status)) return '…';
  return formatDuration(row.updatedAt - row.createdAt);
}

export type Tone = 'ok' | 'pending' | 'warn' | 'error' | 'neutral';

/** delivered/answered green, published/accepted/received blue (on the way), queued amber, failures red. */
export function statusTone(status: HopEvent): Tone {
  switch (status) {
    case 'delivered':
    case 'answered':
      return 'ok';
    case 'accepted':
    case 'published':
    case 'received':
      return 'pending';
    case 'queued':
    case 'fallback':
      return 'warn';
    case 'failback':
    case 'dispatched':
    case 'spawned':
      return 'pending';
    case 'failover':
      return 'warn';
    case 'rejected':
    case 'failed':
    case 'expired':
      return 'error';
  }
}

/** One table row's text, in column order (used by the table and its tests). */
export function traceRowCells(row: TraceSummary): {
  time: string;
  fromTo: string;
  kind: string;
  route: string;
  latency: string;
  status: string;
} {
  return {
    time: formatClock(row.createdAt),
    fromTo: `${row.from} → ${row.to}`,
    kind: row.kind,
    route: formatRoute(row.route),
    latency: formatLatency(row),
    status: row.status,
  };
}

export interface TimelineHop extends Hop {
  /** Milliseconds since the first hop. */
  offsetMs: number;
  /** Milliseconds since the hop before (0 for the first). */
  deltaMs: number;
}

/** Hops in order with their offsets from the first: the inspector's timeline. */
export function hopTimeline(hops: readonly Hop[]): TimelineHop[] {
  const sorted = [...hops].sort((a, b) => a.seq - b.seq);
  const start = sorted[0]?.at ?? 0;
  let previous = start;
  return sorted.map((hop) => {
    const entry = { ...hop, offsetMs: hop.at - start, deltaMs: hop.at - previous };
    previous = hop.at;
    return entry;
  });
}

/** "+0 ms", "+12 ms", "+1.40 s". */
export function formatOffset(ms: number): string {
  return `+${formatDuration(ms)}`;
}

const TRACEPARENT = /\b00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}\b/g;

/** The `traceparent` headers the hops recorded (sent over NATS), in hop order, unique. */
export function traceparentsOf(hops: readonly Hop[]): string[] {
  const seen = new Set<string>();
  for (const hop of [...hops].sort((a, b) => a.seq - b.seq)) {
    for (const match of hop.detail.match(TRACEPARENT) ?? []) seen.add(match);
  }
  return [...seen];
}

/** How much of a body the inspector shows. */
export const BODY_VIEW_LIMIT = 16 * 1024;

/**
 * A body as text for a `<pre>`: strings as they are, anything else as indented JSON,
 * cut at `limit` characters. React escapes it: a body is never parsed as HTML.
 */
export function bodyText(body: unknown, limit = BODY_VIEW_LIMIT): { text: string; cut: boolean; size: number } {
  let text: string;
  if (body === null || body === undefined) text = '';
  else if (typeof body === 'string') text = body;
  else {
    try {
      text = JSON.stringify(body, null, 2) ?? String(body);
    } catch {
      text = String(body);
    }
  }
  const size = text.length;
  return size > limit ? { text: text.slice(0, limit), cut: true, size } : { text, cut: false, size };
}

/** The names of the agents in the newest rows, sorted: the agent filter's options. */
export function traceAgents(rows: readonly TraceSummary[], limit = 1_000): string[] {
  const names = new Set<string>();
  const n = Math.min(rows.length, limit);
  for (let i = 0; i < n; i++) {
    const row = rows[i] as TraceSummary;
    names.add(row.from);
    names.add(row.to);
  }
  return [...names].sort();
}
