import { memo } from 'react';
import type { ReactNode } from 'react';
import type { AgentInfo } from '../../../shared/domain.js';
import { useTicking } from '../common/clock.js';
import type { Band } from './agent-bands.js';
import { LocationBadge } from './location-badge.js';
import { formatHeartbeatAge, heartbeatFreshness } from './heartbeat-age.js';

/** One ownership band: a heading and a table of its agents. */
export function AgentBand(props: { band: Band; currentRepo: string | null }): ReactNode {
  const { band, currentRepo } = props;
  const headingId = `band-${band.ownership}-title`;
  return (
    <section className="band" data-testid={`band-${band.ownership}`} aria-labelledby={headingId}>
      <header className="band__header">
        <h2 id={headingId}>{band.title}</h2>
        <span className="band__count">{band.agents.length}</span>
        <span className="band__hint">{band.hint}</span>
      </header>
      {band.agents.length === 0 ? (
        <p className="band__empty">None.</p>
      ) : (
        <table className="table agents-table">
          <colgroup>
            <col className="col-name" />
            <col className="col-type" />
            <col className="col-location" />
            <col className="col-status" />
            <col className="col-heartbeat" />
            <col className="col-load" />
            <col className="col-owner" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Location</th>
              <th scope="col">Status</th>
              <th scope="col">Heartbeat</th>
              <th scope="col">Load</th>
              <th scope="col">Owner</th>
            </tr>
          </thead>
          <tbody>
            {band.agents.map((agent) => (
              <AgentRow key={`${agent.repo}/${agent.name}`} agent={agent} showRepo={agent.repo !== currentRepo} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A row re-renders only when its record object changes. */
const AgentRow = memo(function AgentRow(props: { agent: AgentInfo; showRepo: boolean }): ReactNode {
  const { agent, showRepo } = props;
  return (
    <tr data-testid="agent-row" data-agent={`${agent.repo}/${agent.name}`} data-status={agent.status}>
      <td className="mono agent-name" title={agent.endpoint || undefined}>
        {agent.name}
        {showRepo ? <span className="agent-repo">{agent.repo}</span> : null}
      </td>
      <td className="mono">{agent.type}</td>
      <td>
        <LocationBadge location={agent.location} />
      </td>
      <td>
        <span className={`status status--${agent.status}`}>
          <span className="status-dot" aria-hidden="true" />
          {agent.status}
        </span>
      </td>
      <td>
        <HeartbeatAge lastHeartbeat={agent.lastHeartbeat} />
      </td>
      <td>
        <LoadMeter current={agent.load.current} max={agent.load.max} />
      </td>
      <td className="muted">{agent.owner}</td>
    </tr>
  );
});

function HeartbeatAge(props: { lastHeartbeat: number }): ReactNode {
  const { lastHeartbeat } = props;
  const text = useTicking((now) => formatHeartbeatAge(lastHeartbeat, now));
  const freshness = useTicking((now) => heartbeatFreshness(lastHeartbeat, now));
  return (
    <time
      className={`age age--${freshness}`}
      dateTime={lastHeartbeat > 0 ? new Date(lastHeartbeat).toISOString() : undefined}
      title={lastHeartbeat > 0 ? new Date(lastHeartbeat).toLocaleString() : 'no heartbeat yet'}
    >
      {text}
    </time>
  );
}

function LoadMeter(props: { current: number; max: number }): ReactNode {
  const { current, max } = props;
  const ratio = max > 0 ? Math.min(1, current / max) : 0;
  const level = ratio >= 1 ? 'full' : ratio >= 0.75 ? 'high' : 'ok';
  return (
    <span className="load" title={max > 0 ? `${current} of ${max} task slots in use` : 'no capacity reported'}>
      <span className="load__bar" aria-hidden="true">
        <span className={`load__fill load__fill--${level}`} style={{ width: `${Math.round(ratio * 100)}%` }} />
      </span>
      <span className="load__text mono">
        {current}/{max > 0 ? max : '—'}
      </span>
    </span>
  );
}
