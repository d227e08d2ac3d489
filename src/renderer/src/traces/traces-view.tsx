import type { ReactNode } from 'react';
import { EmptyState } from '../common/empty-state.js';

const COLUMNS = ['Time', 'From → To', 'Kind', 'Route', 'Latency', 'Status'] as const;

/**
 * Traces: one row per routed message with an inspector for its hops.
 *
 * Empty until the router records traces; the virtualised table
 * (@tanstack/react-virtual) and the hop timeline land with it.
 */
export function TracesView(): ReactNode {
  return (
    <section className="view" aria-labelledby="traces-title">
      <div className="view__header">
        <h1 id="traces-title">Traces</h1>
      </div>
      <table className="table traces-table">
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
      </table>
      <EmptyState title="No traces yet" testId="traces-empty" icon="≡">
        <p>
          Each message routed through Switchyard will be listed here with its time, sender and receiver, kind, the way
          it went (local, NATS, outbox or fallback), its latency and whether it was delivered. Selecting one will show
          its hop timeline, per-hop timings, route and body.
        </p>
        <p className="muted">The trace table arrives with the message router.</p>
      </EmptyState>
    </section>
  );
}
