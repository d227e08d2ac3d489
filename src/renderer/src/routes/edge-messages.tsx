import type { ReactNode } from 'react';
import { selectEdge, showTrace } from '../store/actions.js';
import { formatClock, formatLatency, statusTone } from '../traces/trace-format.js';
import type { RouteEdge } from '../model/route-graph.js';
import { EDGE_RECENT } from '../model/route-graph.js';

const VIA_LABEL = { local: 'local', nats: 'NATS', outbox: 'outbox', fallback: 'fallback' } as const;

/** The messages of one edge, newest first; a click opens the message in Traces. */
export function EdgeMessages(props: { edge: RouteEdge }): ReactNode {
  const { edge } = props;
  const vias = (Object.keys(edge.byVia) as (keyof typeof VIA_LABEL)[]).filter((via) => edge.byVia[via] > 0);
  return (
    <aside className="inspector edge-panel" aria-label="Route messages" data-testid="edge-panel" data-edge={edge.key}>
      <header className="inspector__header">
        <h2 className="mono">
          {edge.from} → {edge.to}
        </h2>
        <button type="button" className="button button--ghost button--small" aria-label="Close route" onClick={() => selectEdge(null)}>
          ✕
        </button>
      </header>
      <p className="small">
        <strong>{edge.count}</strong> {edge.count === 1 ? 'message' : 'messages'} in the window
        {vias.length > 0 ? ': ' : ''}
        {vias.map((via, i) => (
          <span key={via}>
            {i > 0 ? ', ' : ''}
            <span className={`via via--${via}`}>{VIA_LABEL[via]}</span> {edge.byVia[via]}
          </span>
        ))}
        {edge.inFlight > 0 ? <span className="muted"> · {edge.inFlight} in flight</span> : null}
      </p>
      <ol className="edge-messages" data-testid="edge-messages">
        {edge.recent.map((row) => (
          <li key={row.messageId}>
            <button type="button" className="edge-message" data-testid="edge-message" data-message={row.messageId} onClick={() => showTrace(row.messageId)}>
              <span className="mono muted">{formatClock(row.createdAt)}</span>
              <span className="mono">{row.kind}</span>
              <span className={`pill pill--${statusTone(row.status)}`}>{row.status}</span>
              <span className="mono muted edge-message__latency">{formatLatency(row)}</span>
            </button>
          </li>
        ))}
      </ol>
      {edge.count > edge.recent.length ? (
        <p className="muted small">The newest {EDGE_RECENT} are listed; Traces has them all (filter by agent).</p>
      ) : null}
    </aside>
  );
}
