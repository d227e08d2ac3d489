import { describe, expect, it } from 'vitest';
import type { EdgeStyle, RouteEdge } from '../../../src/renderer/src/model/route-graph.js';
import { EDGE_RECENT, edgeKey } from '../../../src/renderer/src/model/route-graph.js';
import type { RouteWindow, WindowLimits } from '../../../src/renderer/src/model/route-window.js';
import { busiestEdges, emptyRouteWindow, expireRouteWindow, foldRouteBatch } from '../../../src/renderer/src/model/route-window.js';
import { IN_FLIGHT } from '../../../src/renderer/src/model/trace-filter.js';
import { compareTraces } from '../../../src/renderer/src/model/trace-list.js';
import type { TraceSummary } from '../../../src/shared/routing-contract.js';
import { trace } from './traces-fixtures.js';

const NOW = 1_000_000;
const MINUTE = 60_000;
const LIMITS: WindowLimits = { windowMs: 5 * MINUTE, maxMessages: 5_000 };
const changes = (...items: TraceSummary[]) => new Map(items.map((item) => [item.messageId, item] as const));
const fold = (window: RouteWindow, items: TraceSummary[], now = NOW, limits = LIMITS) => foldRouteBatch(window, null, changes(...items), now, limits);
const remote = { sourceLocation: 'local' as const, destLocation: 'remote' as const, routedAt: NOW };

describe('foldRouteBatch', () => {
  it('folds messages into one weighted edge per sender → receiver, recent newest first', () => {
    const window = fold(emptyRouteWindow(), [
      trace({ createdAt: NOW - 30, from: 'a', to: 'b', status: 'published' }),
      trace({ createdAt: NOW - 10, from: 'a', to: 'b' }),
      trace({ createdAt: NOW - 20, from: 'b', to: 'a' }),
      trace({ createdAt: NOW - 10 * MINUTE, from: 'a', to: 'b' }), // older than the window: not counted
    ]);
    expect(window.messages).toBe(3);
    const ab = window.edges.get(edgeKey('demo', 'a', 'b'));
    expect(ab).toMatchObject({ count: 2, inFlight: 1, style: 'local', lastAt: NOW - 10, byVia: { local: 2, nats: 0, outbox: 0, fallback: 0 } });
    expect(ab?.recent.map((r) => r.createdAt)).toEqual([NOW - 10, NOW - 30]);
    expect(busiestEdges(window.edges, 60).edges[0]).toBe(ab);
  });

  it('draws an edge queued while any message waits in the outbox, fallback or failed by its newest', () => {
    const window = fold(emptyRouteWindow(), [
      trace({ createdAt: NOW - 1, from: 'a', to: 'r', route: { ...remote, routedVia: 'nats' } }),
      trace({ createdAt: NOW - 2, from: 'a', to: 'r', status: 'queued', route: { ...remote, routedVia: 'outbox' } }),
      trace({ createdAt: NOW - 3, from: 'a', to: 'f', route: { ...remote, destLocation: 'local', routedVia: 'fallback' } }),
      trace({ createdAt: NOW - 4, from: 'a', to: 'x', status: 'rejected', route: null }),
    ]);
    const styles = Object.fromEntries([...window.edges.values()].map((e) => [e.to, e.style]));
    expect(styles).toEqual({ r: 'outbox', f: 'fallback', x: 'failed' });
  });

  it('moves counts when a message changes: queued, then delivered over NATS', () => {
    const queued = trace({ createdAt: NOW - 5, from: 'a', to: 'r', status: 'queued', updatedAt: NOW - 5, route: { ...remote, routedVia: 'outbox' } });
    let window = fold(emptyRouteWindow(), [queued]);
    expect(window.edges.get(edgeKey('demo', 'a', 'r'))).toMatchObject({ style: 'outbox', queued: 1, inFlight: 1 });
    const delivered = { ...queued, status: 'delivered' as const, updatedAt: NOW, route: { ...remote, routedVia: 'nats' as const } };
    window = fold(window, [delivered]);
    const edge = window.edges.get(edgeKey('demo', 'a', 'r'));
    expect(edge).toMatchObject({ count: 1, queued: 0, inFlight: 0, style: 'nats', byVia: { local: 0, nats: 1, outbox: 0, fallback: 0 } });
    expect(edge?.recent[0]).toBe(delivered);
    // A late page with the older version changes nothing.
    expect(fold(window, [queued])).toBe(window);
  });

  it('keeps unchanged edges by identity and gives changed ones a new object', () => {
    const a = trace({ createdAt: NOW - 10, from: 'a', to: 'b' });
    const c = trace({ createdAt: NOW - 9, from: 'c', to: 'd' });
    const before = fold(emptyRouteWindow(), [a, c]);
    const after = fold(before, [trace({ createdAt: NOW - 1, from: 'a', to: 'b' })]);
    expect(after.edges).not.toBe(before.edges);
    expect(after.edges.get(edgeKey('demo', 'c', 'd'))).toBe(before.edges.get(edgeKey('demo', 'c', 'd')));
    expect(after.edges.get(edgeKey('demo', 'a', 'b'))).not.toBe(before.edges.get(edgeKey('demo', 'a', 'b')));
    expect(before.edges.get(edgeKey('demo', 'a', 'b'))?.count).toBe(1); // the old object is untouched
    expect(fold(after, [])).toBe(after);
  });

  it('expires messages by time, dropping an edge whose last message left', () => {
    let window = fold(emptyRouteWindow(), [
      trace({ createdAt: NOW - 4 * MINUTE, from: 'a', to: 'b' }),
      trace({ createdAt: NOW - 1 * MINUTE, from: 'a', to: 'b' }),
      trace({ createdAt: NOW - 3 * MINUTE, from: 'c', to: 'd' }),
    ]);
    expect(expireRouteWindow(window, NOW, LIMITS)).toBe(window); // nothing old enough yet
    window = expireRouteWindow(window, NOW + 90_000, LIMITS);
    expect(window.messages).toBe(2);
    expect(window.edges.get(edgeKey('demo', 'a', 'b'))).toMatchObject({ count: 1, lastAt: NOW - MINUTE });
    window = expireRouteWindow(window, NOW + 2.5 * MINUTE, LIMITS);
    expect([...window.edges.keys()]).toEqual([edgeKey('demo', 'a', 'b')]);
    window = expireRouteWindow(window, NOW + 10 * MINUTE, LIMITS);
    expect(window.edges.size).toBe(0);
    expect(window.messages).toBe(0);
  });

  it('holds at most the newest maxMessages, whatever order pages arrive in', () => {
    const limits = { windowMs: 5 * MINUTE, maxMessages: 3 };
    const rows = Array.from({ length: 6 }, (_, i) => trace({ createdAt: NOW - 100 + i * 10, from: 'a', to: `b${i % 2}` }));
    // Newest page first, then an older one, as after a reconnect.
    let window = foldRouteBatch(emptyRouteWindow(), rows.slice(3), new Map(), NOW, limits);
    window = fold(window, rows.slice(0, 3), NOW, limits);
    expect(window.messages).toBe(3);
    const counted = [...window.edges.values()].flatMap((e) => e.recent.map((r) => r.createdAt)).sort();
    expect(counted).toEqual([NOW - 70, NOW - 60, NOW - 50]);
  });

  it('keeps only the newest messages of an edge in its list', () => {
    const rows = Array.from({ length: EDGE_RECENT + 10 }, (_, i) => trace({ createdAt: NOW - 1000 + i }));
    const window = fold(emptyRouteWindow(), rows);
    const edge = window.edges.get(edgeKey('demo', 'a', 'b'));
    expect(edge?.count).toBe(EDGE_RECENT + 10);
    expect(edge?.recent).toHaveLength(EDGE_RECENT);
    expect(edge?.recent[0]?.createdAt).toBe(NOW - 1000 + EDGE_RECENT + 9);
  });

  it('starts over from a snapshot', () => {
    const window = fold(emptyRouteWindow(), [trace({ createdAt: NOW - 5, from: 'old', to: 'x' })]);
    const next = foldRouteBatch(window, [trace({ createdAt: NOW - 1, from: 'a', to: 'b' })], new Map(), NOW, LIMITS);
    expect([...next.edges.keys()]).toEqual([edgeKey('demo', 'a', 'b')]);
    expect(next.messages).toBe(1);
  });

  it('matches a full rescan after any sequence of batches, updates and expiry', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const limits = { windowMs: 2_000, maxMessages: 40 };
    const statuses = ['accepted', 'queued', 'published', 'delivered', 'failed', 'rejected'] as const;
    const vias = ['local', 'nats', 'outbox', 'fallback', null] as const;
    const variant = (base: TraceSummary, at: number): TraceSummary => {
      const via = pick(vias);
      return {
        ...base,
        status: pick(statuses),
        updatedAt: at,
        route: via === null ? null : { sourceLocation: pick(['local', 'remote'] as const), destLocation: pick(['local', 'remote'] as const), routedVia: via, routedAt: at },
      };
    };
    const all = new Map<string, TraceSummary>();
    let window = emptyRouteWindow();
    let clock = NOW;
    for (let step = 0; step < 300; step++) {
      clock += Math.floor(random() * 60);
      const batch: TraceSummary[] = [];
      for (let n = Math.floor(random() * 5); n > 0; n--) {
        // New messages mostly now, sometimes from an older page.
        const createdAt = random() < 0.8 ? clock - Math.floor(random() * 20) : clock - Math.floor(random() * 3_000);
        batch.push(variant(trace({ createdAt, from: pick(['a', 'b', 'c']), to: pick(['a', 'b', 'd']) }), createdAt));
      }
      for (let n = Math.floor(random() * 4); n > 0 && all.size > 0; n--) {
        const known = pick([...all.values()]);
        batch.push(variant(known, known.updatedAt + 1 + Math.floor(random() * 10)));
      }
      if (random() < 0.1) {
        window = expireRouteWindow(window, clock, limits);
      } else {
        for (const item of batch) all.set(item.messageId, item);
        window = fold(window, batch, clock, limits);
      }
      if (random() < 0.1 || step === 299) {
        window = expireRouteWindow(window, clock, limits);
        expectSame(window, rescan([...all.values()], window, clock, limits));
      }
    }
  });
});

/**
 * The edges by folding `rows` from scratch: what the view drew before the window was
 * incremental. Which messages are counted is taken from the window under test (a message
 * that arrived older than the window was never counted, even if newer ones left since).
 */
function rescan(rows: TraceSummary[], window: RouteWindow, now: number, limits: WindowLimits): Map<string, Partial<RouteEdge>> {
  const counted = rows.filter((row) => window.counted.has(row.messageId)).sort(compareTraces);
  expect(counted.length).toBeLessThanOrEqual(limits.maxMessages);
  for (const row of counted) expect(row.createdAt).toBeGreaterThanOrEqual(now - limits.windowMs);
  const edges = new Map<string, RescannedEdge>();
  for (const row of counted) {
    const key = edgeKey(row.repo, row.from, row.to);
    const edge = edges.get(key) ?? firstEdge(row);
    edges.set(key, edge);
    countInto(edge, row);
  }
  for (const edge of edges.values()) if ((edge.queued ?? 0) > 0) edge.style = 'outbox';
  return edges;
}

type RescannedEdge = Partial<RouteEdge> & { recent: TraceSummary[]; byVia: RouteEdge['byVia'] };
const FAILED = new Set(['rejected', 'failed', 'expired']);

/** An edge as its first (oldest counted) message starts it. */
function firstEdge(row: TraceSummary): RescannedEdge {
  const style: EdgeStyle = FAILED.has(row.status) ? 'failed' : (row.route?.routedVia ?? 'local');
  return {
    count: 0, inFlight: 0, queued: 0, failed: 0, style, lastAt: row.createdAt, recent: [],
    byVia: { local: 0, nats: 0, outbox: 0, fallback: 0 },
    sourceLocation: row.route?.sourceLocation ?? 'local',
    destLocation: row.route?.destLocation ?? 'local',
  };
}

function countInto(edge: RescannedEdge, row: TraceSummary): void {
  edge.count = (edge.count ?? 0) + 1;
  if (row.route) edge.byVia[row.route.routedVia]++;
  if (IN_FLIGHT.has(row.status)) edge.inFlight = (edge.inFlight ?? 0) + 1;
  if (row.status === 'queued') edge.queued = (edge.queued ?? 0) + 1;
  if (FAILED.has(row.status)) edge.failed = (edge.failed ?? 0) + 1;
  if (edge.recent.length < EDGE_RECENT) edge.recent.push(row);
}

function expectSame(window: RouteWindow, expected: Map<string, Partial<RouteEdge>>): void {
  const pickFields = (edge: Partial<RouteEdge>) => ({
    count: edge.count,
    inFlight: edge.inFlight,
    queued: edge.queued,
    failed: edge.failed,
    style: edge.style,
    lastAt: edge.lastAt,
    byVia: edge.byVia,
    sourceLocation: edge.sourceLocation,
    destLocation: edge.destLocation,
    recent: edge.recent?.map((row) => `${row.messageId}:${row.status}`),
  });
  expect(new Set(window.edges.keys())).toEqual(new Set(expected.keys()));
  for (const [key, edge] of expected) expect(pickFields(window.edges.get(key) as RouteEdge), key).toEqual(pickFields(edge));
  expect(window.messages).toBe([...expected.values()].reduce((sum, edge) => sum + (edge.count ?? 0), 0));
}
