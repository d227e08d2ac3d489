import type { ReactNode } from 'react';
import { useAppStore } from '../store/app-store.js';
import { showView } from '../store/actions.js';
import { describeIndicator } from './connection-labels.js';

/** The always-visible link state; a click opens Settings, where the detail is. */
export function ConnectionIndicator(): ReactNode {
  const bridge = useAppStore((state) => state.bridge);
  const connection = useAppStore((state) => state.connection);
  const indicator = describeIndicator(bridge, connection);
  return (
    <button
      type="button"
      className={`indicator indicator--${indicator.tone}`}
      data-testid="connection-indicator"
      data-phase={bridge.status === 'ready' ? (connection?.phase ?? 'unknown') : `core-${bridge.status}`}
      title={indicator.detail}
      aria-label={`Connection: ${indicator.label}. ${indicator.detail}`}
      onClick={() => showView('settings')}
    >
      <span className="indicator__dot" aria-hidden="true" />
      <span className="indicator__label">{indicator.label}</span>
    </button>
  );
}
