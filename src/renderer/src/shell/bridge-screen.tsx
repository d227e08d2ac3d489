import type { ReactNode } from 'react';
import { retryBridgeNow } from '../api/connect-core.js';
import { useTicking } from '../common/clock.js';
import type { BridgeState } from '../store/slices.js';
import './shell.css';

/** Full-window screens for when the core cannot be reached at all. */
export function BridgeScreen(props: { bridge: BridgeState }): ReactNode {
  const { bridge } = props;
  if (bridge.status === 'missing-token') {
    return (
      <main className="bridge-screen" data-testid="bridge-screen" data-state="missing-token">
        <Brand />
        <h1>This page needs its access token</h1>
        <p>
          The headless host only answers pages that carry the token it printed when it started. Open the full URL from
          its output, which looks like <code>http://127.0.0.1:&lt;port&gt;/?token=&lt;token&gt;</code>.
        </p>
        <p className="muted">Run <code>npm run web</code> to start a host if none is running.</p>
      </main>
    );
  }
  if (bridge.status === 'down') {
    return (
      <main className="bridge-screen" data-testid="bridge-screen" data-state="down">
        <Brand />
        <h1>{bridge.everConnected ? 'Lost the Switchyard core' : 'Cannot reach the Switchyard core'}</h1>
        <p>{sentence(bridge.reason)}</p>
        {bridge.everConnected ? null : (
          <p className="muted">
            Check that the host is still running and that this page&apos;s URL carries the token the host printed
            most recently: a restarted host prints a new one.
          </p>
        )}
        <RetryLine retryAt={bridge.retryAt} />
      </main>
    );
  }
  return (
    <main className="bridge-screen" data-testid="bridge-screen" data-state="connecting" aria-busy="true">
      <Brand />
      <p className="muted">Connecting to the Switchyard core…</p>
    </main>
  );
}

/** A strip over the app while the core is out of reach after having been there. */
export function BridgeBanner(props: { bridge: BridgeState }): ReactNode {
  const { bridge } = props;
  if (bridge.status !== 'down' && bridge.status !== 'connecting') return null;
  return (
    <div className="bridge-banner" role="alert" data-testid="bridge-banner">
      <strong>Switchyard core unreachable.</strong>{' '}
      {bridge.status === 'down' ? (
        <>
          {sentence(bridge.reason)} What you see may be out of date. <RetryLine retryAt={bridge.retryAt} />
        </>
      ) : (
        'Reconnecting…'
      )}
    </div>
  );
}

/** "the socket closed" → "The socket closed." */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function RetryLine(props: { retryAt: number }): ReactNode {
  const seconds = useTicking((now) => Math.max(0, Math.ceil((props.retryAt - now) / 1000)));
  return (
    <span className="retry-line">
      {props.retryAt > 0 ? `Retrying in ${seconds}s. ` : null}
      <button type="button" className="button button--small" onClick={retryBridgeNow}>
        Retry now
      </button>
    </span>
  );
}

function Brand(): ReactNode {
  return (
    <div className="brand brand--large">
      <Logo />
      <span>Switchyard</span>
    </div>
  );
}

/** Two tracks meeting at a switch. */
export function Logo(): ReactNode {
  return (
    <svg className="logo" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
      <path d="M3 18h18M3 6h6c4 0 6 12 12 12" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      <circle cx="9" cy="6" r="2" fill="currentColor" />
    </svg>
  );
}
