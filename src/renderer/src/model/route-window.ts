/**
 * The Routes view's edges, kept up to date incrementally.
 *
 * Each frame's batch of new and changed trace summaries is folded into per-edge
 * counters and a bounded list of recent messages, and messages leave the window when
 * they grow too old (a cheap pass from the oldest end) or when the window holds more
 * than {@link MAX_WINDOW_MESSAGES}. Nothing rescans the trace list: at 200 messages a
 * second, rescanning up to 5,000 of them four times a second was a measurable share of
 * the Routes view's main-thread time.
 *
 * Published values follow the store's rules: a new `edges` Map on each change, a new
 * edge object for each edge that changed, unchanged edges kept by identity. The index
 * of counted messages and their order are updated in place, like the trace list's
 * `byId` (a copy per frame would cost more than the fold); never keep them across
 * updates.
 */
import type { TraceSummary } from '../../../shared/routing-contract.js';
import { IN_FLIGHT } from './trace-filter.js';
import { compareTraces } from './trace-list.js';
import type { EdgeStyle, RouteEdge } from './route-graph.js';
import { EDGE_RECENT, MAX_WINDOW_MESSAGES, ROUTE_WINDOW_MS, edgeKey } from './route-graph.js';

export interface RouteWindow {
  /** Every route with messages in the window, by {@link edgeKey}. */
  edges: ReadonlyMap<string, RouteEdge>;
  /** Messages in the window. */
  messages: number;
  /** The counted messages by id, their newest version (updated in place). */
  readonly counted: Map<string, TraceSummary>;
  /** Ids of the counted messages, oldest first from `order.head` (updated in place). */
  readonly order: { ids: string[]; head: number };
}

export interface WindowLimits {
  windowMs: number;
  maxMessages: number;
}

const DEFAULT_LIMITS: WindowLimits = { windowMs: ROUTE_WINDOW_MS, maxMessages: MAX_WINDOW_MESSAGES };

const FAILED = new Set<string>(['rejected', 'failed', 'expired']);

/** A new empty window (each has its own index, which folds mutate). */
export function emptyRouteWindow(): RouteWindow {
  return { edges: new Map(), messages: 0, counted: new Map(), order: { ids: [], head: 0 } };
}

/**
 * The window after one frame's batch of trace summaries.
 *
 * @param snapshot when set, the window starts over from it (the first page after a
 *   (re)connect), like the trace list.
 * @param changes new or changed summaries by message id (any order). A version older
 *   than the one counted (a late page) is ignored.
 * @param now the wall clock, epoch ms: messages older than the window are not counted
 *   and the oldest counted ones expire.
 */
export function foldRouteBatch(
  current: RouteWindow,
  snapshot: readonly TraceSummary[] | null,
  changes: ReadonlyMap<string, TraceSummary>,
  now: number,
  limits: WindowLimits = DEFAULT_LIMITS,
): RouteWindow {
  const base = snapshot !== null ? emptyRouteWindow() : current;
  const draft = new Draft(base);
  const since = now - limits.windowMs;
  const added: TraceSummary[] = [];
  const fold = (item: TraceSummary): void => {
    const known = base.counted.get(item.messageId);
    if (known === undefined) {
      if (item.createdAt < since) return;
      base.counted.set(item.messageId, item);
      draft.add(item);
      added.push(item);
    } else if (known !== item && item.updatedAt >= known.updatedAt) {
      base.counted.set(item.messageId, item);
      draft.update(known, item);
    }
  };
  if (snapshot !== null) for (const item of snapshot) fold(item);
  for (const item of changes.values()) fold(item);
  if (added.length > 0) insertInOrder(base, added);
  evict(base, draft, since, limits.maxMessages);
  return draft.result();
}

/**
 * The window with messages older than `windowMs` dropped; the same object when none
 * expired, so a periodic call costs nothing while the window holds still.
 */
export function expireRouteWindow(current: RouteWindow, now: number, limits: WindowLimits = DEFAULT_LIMITS): RouteWindow {
  const draft = new Draft(current);
  evict(current, draft, now - limits.windowMs, limits.maxMessages);
  return draft.result();
}

/** The busiest `max` edges (count, then the most recent), and how many were left out. */
export function busiestEdges(edges: ReadonlyMap<string, RouteEdge>, max: number): { edges: RouteEdge[]; hidden: number } {
  const all = [...edges.values()];
  all.sort((a, b) => b.count - a.count || b.lastAt - a.lastAt || (a.key < b.key ? -1 : 1));
  return { edges: all.length > max ? all.slice(0, max) : all, hidden: Math.max(0, all.length - max) };
}

/** Oldest first: the order of the window's queue. */
const olderFirst = (a: TraceSummary, b: TraceSummary): number => compareTraces(b, a);

/**
 * Puts newly counted messages into the queue. Live messages are newer than everything
 * counted and are appended; older pages are merged in once per batch.
 */
function insertInOrder(window: RouteWindow, added: TraceSummary[]): void {
  added.sort(olderFirst);
  const { order, counted } = window;
  const tailId = order.ids[order.ids.length - 1];
  const tail = order.head < order.ids.length && tailId !== undefined ? counted.get(tailId) : undefined;
  const first = added[0] as TraceSummary;
  if (tail === undefined || olderFirst(tail, first) < 0) {
    for (const item of added) order.ids.push(item.messageId);
    return;
  }
  const live = order.ids.slice(order.head);
  const merged: string[] = new Array<string>(live.length + added.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < live.length && j < added.length) {
    const a = counted.get(live[i] as string) as TraceSummary;
    const b = added[j] as TraceSummary;
    merged[k++] = olderFirst(a, b) <= 0 ? (live[i++] as string) : (added[j++] as TraceSummary).messageId;
  }
  while (i < live.length) merged[k++] = live[i++] as string;
  while (j < added.length) merged[k++] = (added[j++] as TraceSummary).messageId;
  order.ids = merged;
  order.head = 0;
}

/** Drops the oldest messages while they are older than `since` or too many. */
function evict(window: RouteWindow, draft: Draft, since: number, maxMessages: number): void {
  const { order, counted } = window;
  while (order.head < order.ids.length) {
    const id = order.ids[order.head] as string;
    const oldest = counted.get(id) as TraceSummary;
    if (oldest.createdAt >= since && counted.size <= maxMessages) break;
    order.head++;
    counted.delete(id);
    draft.remove(oldest);
  }
  // Reclaim the consumed front now and then, not on every eviction.
  if (order.head > 1024 && order.head * 2 > order.ids.length) {
    order.ids = order.ids.slice(order.head);
    order.head = 0;
  }
}

/** Copy-on-write over one window's edges: each touched edge is copied once per batch. */
class Draft {
  private edges: Map<string, RouteEdge> | null = null;
  private readonly fresh = new Set<RouteEdge>();
  private messages: number;

  constructor(private readonly base: RouteWindow) {
    this.messages = base.messages;
  }

  add(item: TraceSummary): void {
    const key = edgeKey(item.repo, item.from, item.to);
    let edge = this.writable(key);
    if (edge === undefined) {
      edge = newEdge(key, item);
      this.map().set(key, edge);
      this.fresh.add(edge);
    }
    this.messages++;
    edge.count++;
    count(edge, item, 1);
    // Newest first, at most EDGE_RECENT: live messages go in front.
    const recent = edge.recent;
    if (recent.length === 0 || compareTraces(item, recent[0] as TraceSummary) <= 0) recent.unshift(item);
    else if (recent.length < EDGE_RECENT || compareTraces(item, recent[recent.length - 1] as TraceSummary) < 0) {
      let at = recent.length;
      while (at > 0 && compareTraces(item, recent[at - 1] as TraceSummary) < 0) at--;
      recent.splice(at, 0, item);
    }
    if (recent.length > EDGE_RECENT) recent.length = EDGE_RECENT;
    restyle(edge);
  }

  update(old: TraceSummary, item: TraceSummary): void {
    const edge = this.writable(edgeKey(item.repo, item.from, item.to));
    if (edge === undefined) return;
    count(edge, old, -1);
    count(edge, item, 1);
    const at = edge.recent.findIndex((row) => row.messageId === item.messageId);
    if (at >= 0) edge.recent[at] = item;
    restyle(edge);
  }

  remove(item: TraceSummary): void {
    const key = edgeKey(item.repo, item.from, item.to);
    const edge = this.writable(key);
    if (edge === undefined) return;
    this.messages--;
    edge.count--;
    if (edge.count <= 0) {
      this.map().delete(key);
      return;
    }
    count(edge, item, -1);
    const at = edge.recent.findIndex((row) => row.messageId === item.messageId);
    if (at >= 0) edge.recent.splice(at, 1);
    restyle(edge);
  }

  /** The same window when nothing changed. */
  result(): RouteWindow {
    if (this.edges === null && this.messages === this.base.messages) return this.base;
    return { ...this.base, edges: this.edges ?? this.base.edges, messages: this.messages };
  }

  private map(): Map<string, RouteEdge> {
    this.edges ??= new Map(this.base.edges);
    return this.edges;
  }

  private writable(key: string): RouteEdge | undefined {
    const edge = (this.edges ?? this.base.edges).get(key);
    if (edge === undefined || this.fresh.has(edge)) return edge;
    const copy: RouteEdge = { ...edge, byVia: { ...edge.byVia }, recent: edge.recent.slice() };
    this.map().set(key, copy);
    this.fresh.add(copy);
    return copy;
  }
}

function newEdge(key: string, item: TraceSummary): RouteEdge {
  return {
    key,
    repo: item.repo,
    from: item.from,
    to: item.to,
    count: 0,
    byVia: { local: 0, nats: 0, outbox: 0, fallback: 0 },
    inFlight: 0,
    queued: 0,
    failed: 0,
    style: 'local',
    lastAt: item.createdAt,
    recent: [],
    sourceLocation: 'local',
    destLocation: 'local',
  };
}

/** Adds (`sign` 1) or takes back (-1) what one message contributes to its edge's counters. */
function count(edge: RouteEdge, item: TraceSummary, sign: 1 | -1): void {
  const via = item.route?.routedVia;
  if (via) edge.byVia[via] += sign;
  if (IN_FLIGHT.has(item.status)) edge.inFlight += sign;
  if (item.status === 'queued') edge.queued += sign;
  if (FAILED.has(item.status)) edge.failed += sign;
}

/**
 * Style and ends follow the newest message (`recent[0]`): `outbox` while any message
 * waits there, otherwise `failed` when the newest failed, otherwise how it went.
 */
function restyle(edge: RouteEdge): void {
  const newest = edge.recent[0];
  if (newest === undefined) return;
  const style: EdgeStyle = edge.queued > 0 ? 'outbox' : FAILED.has(newest.status) ? 'failed' : (newest.route?.routedVia ?? 'local');
  edge.style = style;
  edge.lastAt = newest.createdAt;
  edge.sourceLocation = newest.route?.sourceLocation ?? 'local';
  edge.destLocation = newest.route?.destLocation ?? 'local';
}
