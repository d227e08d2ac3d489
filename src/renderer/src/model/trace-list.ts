/**
 * The renderer's list of traces: one summary per message, newest first, bounded.
 *
 * It is fed by the answer of `traces.query` (pages, newest first) and by
 * `messages.routed` batches (new messages and changed ones). Both arrive folded per
 * frame; {@link applyTraceBatch} turns one frame's worth into a new list in O(rows),
 * keeping the objects of unchanged rows so that memoised rows do not re-render.
 */
import type { TraceSummary } from '../../../shared/routing-contract.js';

/** How many traces the renderer keeps; older ones drop off the end. */
export const MAX_TRACE_ROWS = 20_000;

export interface TraceList {
  /** Newest first (createdAt, then messageId); a new array on each update. */
  rows: readonly TraceSummary[];
  /**
   * The same summaries by id. Unlike `rows` it is updated in place (a copy of 20,000
   * entries per frame cost more than everything else together); read it inside a
   * selector, never keep it across updates.
   */
  byId: ReadonlyMap<string, TraceSummary>;
}

/** A new empty list (each has its own index, which updates mutate). */
export function emptyTraceList(): TraceList {
  return { rows: [], byId: new Map() };
}

/** Newest first; ties broken by id so the order is stable. */
export function compareTraces(a: TraceSummary, b: TraceSummary): number {
  return b.createdAt - a.createdAt || (a.messageId < b.messageId ? 1 : a.messageId > b.messageId ? -1 : 0);
}

/** Whether `next` is at least as new as `current` (a late page must not undo an event). */
function isNewer(next: TraceSummary, current: TraceSummary): boolean {
  return next.updatedAt >= current.updatedAt;
}

/**
 * The list after one frame's batch.
 *
 * @param snapshot when set, the list starts from it instead of `current`.
 * @param changes new or changed summaries by message id (any order).
 */
export function applyTraceBatch(
  current: TraceList,
  snapshot: readonly TraceSummary[] | null,
  changes: ReadonlyMap<string, TraceSummary>,
  cap = MAX_TRACE_ROWS,
): TraceList {
  let base = current;
  if (snapshot !== null) {
    const rows = [...snapshot].sort(compareTraces);
    base = { rows, byId: new Map(rows.map((row) => [row.messageId, row] as const)) };
  }
  if (changes.size === 0 && snapshot === null) return current;

  const byId = base.byId as Map<string, TraceSummary>;
  const updated = new Map<string, TraceSummary>();
  const added: TraceSummary[] = [];
  for (const [id, item] of changes) {
    const known = byId.get(id);
    if (known === undefined) {
      added.push(item);
      byId.set(id, item);
    } else if (known !== item && isNewer(item, known)) {
      // createdAt never changes for a message, so the row keeps its place.
      updated.set(id, item);
      byId.set(id, item);
    }
  }
  let rows: readonly TraceSummary[] = updated.size > 0 ? base.rows.map((row) => updated.get(row.messageId) ?? row) : base.rows;
  if (added.length > 0) rows = mergeSorted(rows, added.sort(compareTraces));
  if (rows.length > cap) {
    for (let i = cap; i < rows.length; i++) byId.delete((rows[i] as TraceSummary).messageId);
    rows = rows.slice(0, cap);
  }
  return { rows, byId };
}

/** Merges two lists that are each newest first. New messages usually all go in front. */
function mergeSorted(a: readonly TraceSummary[], b: readonly TraceSummary[]): TraceSummary[] {
  const first = b[b.length - 1];
  if (first !== undefined && (a.length === 0 || compareTraces(first, a[0] as TraceSummary) <= 0)) return [...b, ...a];
  const out: TraceSummary[] = new Array<TraceSummary>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    out[k++] = compareTraces(a[i] as TraceSummary, b[j] as TraceSummary) <= 0 ? (a[i++] as TraceSummary) : (b[j++] as TraceSummary);
  }
  while (i < a.length) out[k++] = a[i++] as TraceSummary;
  while (j < b.length) out[k++] = b[j++] as TraceSummary;
  return out;
}
