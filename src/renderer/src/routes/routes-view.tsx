import type { ReactNode } from 'react';
import { EmptyState } from '../common/empty-state.js';
import { useAppStore } from '../store/app-store.js';

/**
 * Routes: the live graph of who sent what to whom, local lane and remote lane.
 *
 * Empty until the router reports routes through the contract; the graph
 * (@xyflow/react) lands with it.
 */
export function RoutesView(): ReactNode {
  const hybrid = useAppStore((state) => state.config?.enabled ?? false);
  return (
    <section className="view" aria-labelledby="routes-title">
      <div className="view__header">
        <h1 id="routes-title">Routes</h1>
      </div>
      <div className="lanes" aria-hidden="true">
        <div className="lane">
          <span className="lane__title">This laptop</span>
        </div>
        <div className="lane lane--remote">
          <span className="lane__title">Remote</span>
        </div>
      </div>
      <EmptyState title="No routes yet" testId="routes-empty" icon="⇄">
        <p>
          Every message an agent sends will appear here as an edge between its sender and receiver: local agents in the
          top lane, remote ones below, edges weighted by how many messages took them, messages in flight moving along
          them. Routes that wait in the outbox or fall back to a local agent are drawn apart.
        </p>
        <p className="muted">
          {hybrid
            ? 'Routes appear once agents start exchanging messages.'
            : 'With hybrid mode off every route stays on this laptop.'}{' '}
          The live graph arrives with the message router.
        </p>
      </EmptyState>
    </section>
  );
}
