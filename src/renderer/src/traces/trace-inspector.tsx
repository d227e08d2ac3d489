import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { REMOTE_HOP_WHERE } from '../../../shared/domain.js';
import type { TraceDetail } from '../../../shared/routing-contract.js';
import { CallError } from '../common/call-error.js';
import type { CallErrorView } from '../common/use-call.js';
import { describeCallError } from '../common/use-call.js';
import { useAppStore } from '../store/app-store.js';
import { coreApi, selectTrace } from '../store/actions.js';
import { bodyText, formatClock, formatDuration, formatOffset, hopTimeline, statusTone, traceparentsOf } from './trace-format.js';

type Loaded = { id: string; version: number; detail: TraceDetail | null } | { id: string; version: number; error: CallErrorView };

/**
 * One message: its hops on a timeline with per-hop times, its route, trace context
 * and body. Fetched with `traces.get` when selected, and again when its summary changes
 * (a `messages.routed` event), never on a timer.
 */
export function TraceInspector(props: { messageId: string }): ReactNode {
  const { messageId } = props;
  const version = useAppStore((state) => state.traces.byId.get(messageId)?.updatedAt ?? 0);
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(() => {
    let current = true;
    coreApi()
      .traces.get({ id: messageId })
      .then((detail) => current && setLoaded({ id: messageId, version, detail }))
      .catch((error: unknown) => current && setLoaded({ id: messageId, version, error: describeCallError(error) }));
    return () => {
      current = false;
    };
  }, [messageId, version]);

  const shown = loaded?.id === messageId ? loaded : null;
  return (
    <aside className="inspector" aria-label="Trace inspector" data-testid="trace-inspector">
      <header className="inspector__header">
        <h2>Message</h2>
        <code className="inspector__id">{messageId}</code>
        <button type="button" className="button button--ghost button--small" aria-label="Close inspector" onClick={() => selectTrace(null)}>
          ✕
        </button>
      </header>
      {shown === null ? (
        <p className="muted" aria-busy="true">
          Loading…
        </p>
      ) : 'error' in shown ? (
        <CallError error={shown.error} />
      ) : shown.detail === null ? (
        <p className="muted">This trace is no longer kept (retention removed it).</p>
      ) : (
        <TraceDetailView detail={shown.detail} />
      )}
    </aside>
  );
}

function TraceDetailView(props: { detail: TraceDetail }): ReactNode {
  const { summary, hops } = props.detail;
  const timeline = hopTimeline(hops);
  const total = timeline.length > 0 ? (timeline[timeline.length - 1]?.offsetMs ?? 0) : 0;
  const parents = traceparentsOf(hops);
  const body = bodyText(props.detail.body);
  return (
    <div className="inspector__body">
      <dl className="facts">
        <dt>From → to</dt>
        <dd className="mono">
          {summary.from} → {summary.to} <span className="muted">({summary.repo})</span>
        </dd>
        <dt>Kind</dt>
        <dd className="mono">{summary.kind}</dd>
        <dt>Status</dt>
        <dd>
          <span className={`pill pill--${statusTone(summary.status)}`}>{summary.status}</span>{' '}
          <span className="muted small">after {formatDuration(summary.updatedAt - summary.createdAt)}</span>
        </dd>
        <dt>Sent</dt>
        <dd className="mono">
          {new Date(summary.createdAt).toLocaleDateString()} {formatClock(summary.createdAt)}
        </dd>
      </dl>

      <h3 className="inspector__section">Hops</h3>
      <ol className="timeline" data-testid="hop-timeline">
        {timeline.map((hop) => (
          <li key={hop.seq} className={`timeline__hop timeline__hop--${statusTone(hop.event)}`} data-testid="hop" data-event={hop.event}>
            <span className="timeline__dot" aria-hidden="true" />
            <span className="timeline__time mono" title={formatClock(hop.at)}>
              {formatOffset(hop.offsetMs)}
            </span>
            <span className="timeline__what">
              <span className="timeline__where">{hop.where}</span> <strong>{hop.event}</strong>
              {REMOTE_HOP_WHERE.has(hop.where) ? (
                <span className="timeline__remote small" title="Reported by the receiving machine (a receipt); its time was taken on that machine's clock and mapped onto this one">
                  {' '}
                  remote clock
                </span>
              ) : null}
              {hop.seq > 0 ? <span className="muted small"> (+{formatDuration(hop.deltaMs)} after the previous hop)</span> : null}
            </span>
            {hop.detail ? <span className="timeline__detail mono">{hop.detail}</span> : null}
            {total > 0 ? (
              <span className="timeline__bar" aria-hidden="true">
                <span style={{ left: `${(hop.offsetMs / total) * 100}%` }} />
              </span>
            ) : null}
          </li>
        ))}
      </ol>

      <h3 className="inspector__section">Route</h3>
      {summary.route ? (
        <dl className="facts" data-testid="route-info">
          <dt>Via</dt>
          <dd>
            <span className={`via via--${summary.route.routedVia}`}>{summary.route.routedVia}</span>
          </dd>
          <dt>Source</dt>
          <dd>{summary.route.sourceLocation === 'local' ? 'this laptop' : 'remote'}</dd>
          <dt>Destination</dt>
          <dd>{summary.route.destLocation === 'local' ? 'this laptop' : 'remote'}</dd>
          <dt>Routed at</dt>
          <dd className="mono">{formatClock(summary.route.routedAt)}</dd>
        </dl>
      ) : (
        <p className="muted small">Not routed: the message was refused before a route was chosen.</p>
      )}

      <h3 className="inspector__section">Trace context</h3>
      <dl className="facts">
        <dt>Trace id</dt>
        <dd className="mono">{summary.traceId}</dd>
        <dt>traceparent</dt>
        <dd className="mono" data-testid="traceparent">
          {parents.length > 0 ? (
            parents.map((parent) => <div key={parent}>{parent}</div>)
          ) : (
            <span className="muted">none sent: the message never crossed NATS</span>
          )}
        </dd>
      </dl>

      <h3 className="inspector__section">
        Body{' '}
        <span className="muted small">
          {body.size.toLocaleString()} characters{props.detail.bodyTruncated ? ', cut when stored' : ''}
          {body.cut ? `, first ${body.text.length.toLocaleString()} shown` : ''}
        </span>
      </h3>
      {props.detail.body === null ? (
        <p className="muted small">Not kept (refused input is traced without its body).</p>
      ) : (
        // Text only: React escapes it, so a body can never become markup.
        <pre className="body-view" data-testid="trace-body">
          {body.text}
        </pre>
      )}
    </div>
  );
}
