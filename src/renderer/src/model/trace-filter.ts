/**
 * Which traces the Traces view lists, and which hop events mean a message is still on
 * its way. Pure: the store keeps the filter, the views and the route window use it.
 */
import type { HopEvent } from '../../../shared/domain.js';
import type { TraceSummary } from '../../../shared/routing-contract.js';

export interface TraceFilter {
  /** Sender or receiver name; '' for any. */
  agent: string;
  /** '' for any. */
  kind: string;
  /** '' for any; 'in-flight' for accepted, queued, published and received. */
  status: HopEvent | 'in-flight' | '';
}

export const EMPTY_TRACE_FILTER: TraceFilter = { agent: '', kind: '', status: '' };

/** Hop events after which a message is still on its way. */
export const IN_FLIGHT: ReadonlySet<HopEvent> = new Set<HopEvent>(['accepted', 'queued', 'published', 'received', 'fallback', 'failback', 'dispatched', 'failover', 'spawned']);

export function isTraceFilterActive(filter: TraceFilter): boolean {
  return filter.agent !== '' || filter.kind !== '' || filter.status !== '';
}

/** The rows that pass, in the same order; the same array when no filter is set. */
export function filterTraces(rows: readonly TraceSummary[], filter: TraceFilter): readonly TraceSummary[] {
  if (!isTraceFilterActive(filter)) return rows;
  const agent = filter.agent;
  return rows.filter(
    (row) =>
      (agent === '' || row.from === agent || row.to === agent) &&
      (filter.kind === '' || row.kind === filter.kind) &&
      (filter.status === '' || (filter.status === 'in-flight' ? IN_FLIGHT.has(row.status) : row.status === filter.status)),
  );
}
