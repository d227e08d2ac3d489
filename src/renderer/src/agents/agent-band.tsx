import { memo, useLayoutEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { AgentInfo } from '../../../shared/domain.js';
import { useTicking } from '../common/clock.js';
import type { Band } from '../model/agent-bands.js';
import { LocationBadge } from './location-badge.js';
import { formatHeartbeatAge, heartbeatFreshness } from './heartbeat-age.js';
import { AgentRowActions } from './agent-row-actions.js';
import { CostCell } from '../coding/cost-cell.js';
import { describeExit, supervisionNote, supervisionOf } from './supervision.js';

/** A band with more agents than this renders only the rows in view. */
export const VIRTUALIZE_ABOVE = 60;
const ROW_HEIGHT = 37;

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
            <col className="col-restarts" />
            <col className="col-owner" />
            <col className="col-cost" />
            <col className="col-actions" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Location</th>
              <th scope="col">Status</th>
              <th scope="col">Heartbeat</th>
              <th scope="col">Load</th>
              <th scope="col">Restarts</th>
              <th scope="col">Owner</th>
              <th scope="col">Cost</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          {band.agents.length > VIRTUALIZE_ABOVE ? (
            <VirtualRows agents={band.agents} currentRepo={currentRepo} />
          ) : (
            <tbody>
              {band.agents.map((agent) => (
                <AgentRow key={`${agent.repo}/${agent.name}`} agent={agent} showRepo={agent.repo !== currentRepo} />
              ))}
            </tbody>
          )}
        </table>
      )}
    </section>
  );
}

/**
 * Only the rows in view, with spacer rows above and below: the page scrolls as one
 * (the shell's content area), each band's rows offset by where the band starts.
 */
function VirtualRows(props: { agents: AgentInfo[]; currentRepo: string | null }): ReactNode {
  const { agents, currentRepo } = props;
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [scrollElement, setScrollElement] = useState<HTMLElement | null>(null);
  const [margin, setMargin] = useState(0);
  // Measured after every render on purpose: the band's offset in the page moves with
  // whatever renders above it. Both setters bail out on an unchanged value, so it settles.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useLayoutEffect(() => {
    const body = bodyRef.current;
    const scroller = body?.closest<HTMLElement>('.content') ?? null;
    setScrollElement(scroller);
    if (body && scroller) {
      const offset = body.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
      setMargin((current) => (Math.abs(current - offset) > 0.5 ? offset : current));
    }
  });
  // TanStack Virtual is known not to suit the React Compiler, which this app does not use.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: agents.length,
    getScrollElement: () => scrollElement,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    scrollMargin: margin,
    getItemKey: (index) => {
      const agent = agents[index];
      return agent ? `${agent.repo}/${agent.name}` : index;
    },
    initialRect: { width: 1000, height: 800 },
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  const before = first ? first.start - margin : 0;
  const after = last ? virtualizer.getTotalSize() - (last.end - margin) : 0;
  return (
    <tbody ref={bodyRef} data-virtual="true">
      {before > 0 ? <tr className="spacer" aria-hidden="true" style={{ height: before }} /> : null}
      {items.map((item) => {
        const agent = agents[item.index];
        return agent ? <AgentRow key={item.key} agent={agent} showRepo={agent.repo !== currentRepo} /> : null;
      })}
      {after > 0 ? <tr className="spacer" aria-hidden="true" style={{ height: after }} /> : null}
    </tbody>
  );
}

/** A row re-renders only when its record object changes. */
const AgentRow = memo(function AgentRow(props: { agent: AgentInfo; showRepo: boolean }): ReactNode {
  const { agent, showRepo } = props;
  const supervision = supervisionOf(agent);
  return (
    <tr
      data-testid="agent-row"
      data-agent={`${agent.repo}/${agent.name}`}
      data-status={agent.status}
      data-supervision={supervision?.state}
    >
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
        {supervision ? <SupervisionNote agent={agent} /> : null}
      </td>
      <td>
        <HeartbeatAge lastHeartbeat={agent.lastHeartbeat} />
      </td>
      <td>
        <LoadMeter current={agent.load.current} max={agent.load.max} />
      </td>
      <td className="restarts" data-testid="agent-restarts">
        {supervision ? (
          <>
            <span className="mono">{supervision.restarts}</span>
            {supervision.lastExit ? (
              <span
                className={`exit-reason exit-reason--${supervision.lastExit.reason}`}
                title={`${describeExit(supervision.lastExit)} at ${new Date(supervision.lastExit.at).toLocaleTimeString()}${supervision.lastExit.detail ? `: ${supervision.lastExit.detail}` : ''}`}
              >
                {describeExit(supervision.lastExit)}
              </span>
            ) : null}
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="muted">{agent.owner}</td>
      <td>
        <CostCell repo={agent.repo} name={agent.name} />
      </td>
      <td className="row-actions-cell">
        <AgentRowActions agent={agent} supervision={supervision} />
      </td>
    </tr>
  );
});

function SupervisionNote(props: { agent: AgentInfo }): ReactNode {
  const supervision = supervisionOf(props.agent);
  const note = useTicking((now) => (supervision ? (supervisionNote(supervision, now) ?? '') : ''));
  if (!note || !supervision) return null;
  return (
    <span className={`supervision-note supervision-note--${supervision.state}`} data-testid="supervision-note">
      {note}
    </span>
  );
}

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
