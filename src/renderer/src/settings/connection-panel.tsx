import type { ReactNode } from 'react';
import { useTicking } from '../common/clock.js';
import { formatHeartbeatAge } from '../agents/heartbeat-age.js';
import { describeConnection, describeIndicator } from '../shell/connection-labels.js';
import { useAppStore } from '../store/app-store.js';

/** The link to the coordination service as the core sees it, and what this core is. */
export function ConnectionPanel(): ReactNode {
  const connection = useAppStore((state) => state.connection);
  const bridge = useAppStore((state) => state.bridge);
  const system = useAppStore((state) => state.system);
  const indicator = connection && bridge.status === 'ready' ? describeConnection(connection) : describeIndicator(bridge, connection);

  return (
    <div className="panel" data-testid="connection-panel" aria-labelledby="connection-title">
      <header className="panel__header">
        <h2 id="connection-title">Connection</h2>
      </header>
      <dl className="facts">
        <dt>State</dt>
        <dd>
          <span className={`indicator indicator--${indicator.tone} indicator--static`} data-testid="connection-phase">
            <span className="indicator__dot" aria-hidden="true" />
            <span className="indicator__label">{indicator.label}</span>
          </span>
          {connection ? <Since since={connection.since} /> : null}
        </dd>
        <dt>Server</dt>
        <dd className="mono" data-testid="connection-server">
          {connection?.server || <span className="muted">none</span>}
        </dd>
        <dt>Last error</dt>
        <dd data-testid="connection-last-error" className={connection?.lastError ? 'text-error' : undefined}>
          {connection?.lastError ?? <span className="muted">none</span>}
        </dd>
      </dl>
      <p className="muted small">{indicator.detail}</p>
      {system ? (
        <>
          <header className="panel__header panel__header--sub">
            <h2>This core</h2>
          </header>
          <dl className="facts">
            <dt>Host</dt>
            <dd>{system.host === 'electron' ? 'desktop app' : 'headless (browser)'}</dd>
            <dt>Version</dt>
            <dd className="mono">{system.version}</dd>
            <dt>Platform</dt>
            <dd className="mono">{system.platform}</dd>
          </dl>
        </>
      ) : null}
    </div>
  );
}

function Since(props: { since: number }): ReactNode {
  const { since } = props;
  const age = useTicking((now) => formatHeartbeatAge(since, now));
  return <span className="muted small"> for {age === 'now' ? '<1s' : age}</span>;
}
