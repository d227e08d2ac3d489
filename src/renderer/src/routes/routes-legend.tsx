import type { ReactNode } from 'react';

const LINES = [
  ['local', 'local'],
  ['nats', 'over NATS'],
  ['outbox', 'queued (outbox)'],
  ['fallback', 'fallback'],
  ['failed', 'failed or rejected'],
  ['nats route-edge--sent', 'sent, no delivery receipt yet'],
] as const;

/** What the colours, dashes, dots and thickness of the graph mean. */
export function RoutesLegend(): ReactNode {
  return (
    <div className="routes-legend" aria-label="Legend" data-testid="routes-legend">
      {LINES.map(([style, label]) => (
        <span className="legend-item" key={style}>
          <svg width="28" height="10" aria-hidden="true">
            <line x1="2" y1="5" x2="26" y2="5" className={`route-edge route-edge--${style}`} />
          </svg>
          {label}
        </span>
      ))}
      <span className="legend-item">
        <span className="route-pulse route-pulse--legend" aria-hidden="true" />
        in flight
      </span>
      <span className="legend-item muted">↩ answered · thickness and label: messages</span>
    </div>
  );
}
