import { memo, useCallback, useMemo, useRef } from 'react';
import type { ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { HopEvent as HopEventSchema, MessageKind as MessageKindSchema } from '../../../shared/domain.js';
import type { TraceSummary } from '../../../shared/routing-contract.js';
import { EmptyState } from '../common/empty-state.js';
import { useThrottled } from '../common/use-throttled.js';
import { useAppStore } from '../store/app-store.js';
import { loadOlderTraces, selectTrace, setTraceFilter } from '../store/actions.js';
import { statusTone, traceAgents, traceRowCells } from './trace-format.js';
import { EMPTY_TRACE_FILTER, filterTraces, isTraceFilterActive } from '../model/trace-filter.js';
import type { TraceFilter } from '../model/trace-filter.js';
import { TraceInspector } from './trace-inspector.js';
import './traces.css';

const COLUMNS = ['Time', 'From → To', 'Kind', 'Route', 'Latency', 'Status'] as const;
const ROW_HEIGHT = 30;
/** How often the table follows the trace list, at most. */
export const TABLE_REFRESH_MS = 100;

/** Traces: a virtualised table of routed messages, filters, and the hop inspector. */
export function TracesView(): ReactNode {
  // The table follows the list up to ten times a second: at hundreds of messages a
  // second a per-frame repaint of a scrolling table shows nothing more to a reader.
  const rows = useThrottled(useAppStore((state) => state.traces.rows), TABLE_REFRESH_MS);
  const status = useAppStore((state) => state.tracesStatus);
  const error = useAppStore((state) => state.tracesError);
  const filter = useAppStore((state) => state.traceFilter);
  const selected = useAppStore((state) => state.selectedTrace);
  const hasOlder = useAppStore((state) => state.tracesCursor !== null);
  const visible = useMemo(() => filterTraces(rows, filter), [rows, filter]);

  return (
    <section className="view view--fill" aria-labelledby="traces-title">
      <div className="view__header">
        <h1 id="traces-title">Traces</h1>
        <span className="view__meta" data-testid="traces-count">
          {isTraceFilterActive(filter) ? `${visible.length.toLocaleString()} of ${rows.length.toLocaleString()}` : rows.length.toLocaleString()}{' '}
          {rows.length === 1 ? 'message' : 'messages'}
        </span>
        {hasOlder ? (
          <button type="button" className="button button--ghost button--small" onClick={() => void loadOlderTraces()}>
            Load older
          </button>
        ) : null}
      </div>
      <TraceToolbar filter={filter} rows={rows} />
      {status === 'error' ? (
        <div className="call-error" role="alert">
          <span className="call-error__name mono">traces.query</span>
          <span className="call-error__message">{error}</span>
        </div>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState title={status === 'loading' ? 'Loading traces…' : 'No traces yet'} testId="traces-empty" icon="≡">
          <p>
            Each message routed through Switchyard is listed here with its time, sender and receiver, kind, the way it
            went (local, NATS, outbox or fallback), its latency and whether it was delivered. Select one to see its hop
            timeline, per-hop timings, route and body.
          </p>
          <p className="muted">Send a message from the Agents view to see the first one.</p>
        </EmptyState>
      ) : (
        <div className={`inspect-layout${selected ? ' inspect-layout--inspecting' : ''}`}>
          <TraceTable rows={visible} selected={selected} />
          {selected ? <TraceInspector messageId={selected} /> : null}
        </div>
      )}
    </section>
  );
}

const KINDS = MessageKindSchema.options;
const STATUSES = HopEventSchema.options;

function TraceToolbar(props: { filter: TraceFilter; rows: readonly TraceSummary[] }): ReactNode {
  const { filter, rows } = props;
  // The agent list changes only when the set of names does.
  const agentsKey = useMemo(() => traceAgents(rows).join('\n'), [rows]);
  const agents = useMemo(() => (agentsKey === '' ? [] : agentsKey.split('\n')), [agentsKey]);
  return (
    <div className="toolbar" role="search" aria-label="Filter traces">
      <label className="toolbar__select">
        <span>Agent</span>
        <select value={filter.agent} data-testid="trace-filter-agent" onChange={(e) => setTraceFilter({ agent: e.target.value })}>
          <option value="">Any</option>
          {agents.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
          {filter.agent !== '' && !agents.includes(filter.agent) ? <option value={filter.agent}>{filter.agent}</option> : null}
        </select>
      </label>
      <label className="toolbar__select">
        <span>Kind</span>
        <select value={filter.kind} data-testid="trace-filter-kind" onChange={(e) => setTraceFilter({ kind: e.target.value })}>
          <option value="">Any</option>
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>
      </label>
      <label className="toolbar__select">
        <span>Status</span>
        <select
          value={filter.status}
          data-testid="trace-filter-status"
          onChange={(e) => setTraceFilter({ status: e.target.value as TraceFilter['status'] })}
        >
          <option value="">Any</option>
          <option value="in-flight">in flight</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </label>
      {isTraceFilterActive(filter) ? (
        <button type="button" className="button button--ghost button--small" onClick={() => setTraceFilter(EMPTY_TRACE_FILTER)}>
          Clear
        </button>
      ) : null}
    </div>
  );
}

/** Only the rows in view (plus a few) are in the DOM, however many traces there are. */
function TraceTable(props: { rows: readonly TraceSummary[]; selected: string | null }): ReactNode {
  const { rows, selected } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const getKey = useCallback((index: number) => rows[index]?.messageId ?? index, [rows]);
  // TanStack Virtual is known not to suit the React Compiler, which this app does not use.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: getKey,
    // jsdom has no layout: render a first screenful there (tests) instead of nothing.
    initialRect: { width: 1000, height: 600 },
  });
  const items = virtualizer.getVirtualItems();

  return (
    <div className="trace-table" role="table" aria-label="Traces" aria-rowcount={rows.length + 1} data-testid="trace-table">
      <div className="trace-table__head" role="rowgroup">
        <div className="trace-row trace-row--head" role="row">
          {COLUMNS.map((column) => (
            <div key={column} role="columnheader" className="trace-cell">
              {column}
            </div>
          ))}
        </div>
      </div>
      <div className="trace-table__body" ref={scrollRef} role="rowgroup">
        {rows.length === 0 ? (
          <p className="trace-table__none" data-testid="traces-no-match">
            No messages match these filters.
          </p>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              return <TraceRow key={item.key} row={row} index={item.index} top={item.start} selected={row.messageId === selected} />;
            })}
          </div>
        )}
      </div>
    </div>
  );
}

const TraceRow = memo(function TraceRow(props: { row: TraceSummary; index: number; top: number; selected: boolean }): ReactNode {
  const { row, top, selected } = props;
  const cells = traceRowCells(row);
  const via = row.route?.routedVia ?? 'none';
  return (
    <div
      className="trace-row"
      role="row"
      aria-rowindex={props.index + 2}
      aria-selected={selected}
      tabIndex={0}
      data-testid="trace-row"
      data-message={row.messageId}
      data-status={row.status}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => selectTrace(selected ? null : row.messageId)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          selectTrace(selected ? null : row.messageId);
        }
      }}
    >
      <div role="cell" className="trace-cell mono muted">
        {cells.time}
      </div>
      <div role="cell" className="trace-cell mono trace-cell--names" title={cells.fromTo}>
        <span className="trace-from">{row.from}</span>
        <span className="trace-arrow" aria-hidden="true">
          →
        </span>
        <span className="trace-to">{row.to}</span>
      </div>
      <div role="cell" className="trace-cell mono">
        {cells.kind}
      </div>
      <div role="cell" className="trace-cell">
        <span className={`via via--${via}`}>{cells.route}</span>
      </div>
      <div role="cell" className="trace-cell mono trace-cell--num">
        {cells.latency}
      </div>
      <div role="cell" className="trace-cell">
        <span className={`pill pill--${statusTone(row.status)}`}>{cells.status}</span>
      </div>
    </div>
  );
});
