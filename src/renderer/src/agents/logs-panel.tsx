/**
 * The tail of one local agent's log.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { LogEntry } from '../../../shared/agent-protocol.js';
import { CallError } from '../common/call-error.js';
import { useCall } from '../common/use-call.js';
import { useAppStore } from '../store/app-store.js';
import { coreApi } from '../store/actions.js';
import { formatClock } from '../traces/trace-format.js';
import { supervisionOf } from './supervision.js';
import { PanelFrame } from './panel-frame.js';

/** The tail of one local agent's log; fetched on open, on Refresh, and when its supervision changes. */
export function LogsPanel(props: { name: string }): ReactNode {
  const { name } = props;
  // Changes when the agent restarts, stops or crashes: the moments a log has news.
  const supervisionKey = useAppStore((state) => {
    for (const agent of state.agents.values()) {
      if (agent.name === name && agent.location === 'local') {
        const s = supervisionOf(agent);
        return s ? `${s.state}:${s.restarts}:${s.pid ?? ''}` : agent.status;
      }
    }
    return 'gone';
  });
  const fetchLogs = useCallback(() => coreApi().agents.logs({ name, tail: 200 }), [name]);
  const [logs, load] = useCall(fetchLogs);
  const [entries, setEntries] = useState<LogEntry[]>([]);
  useEffect(() => {
    void load().then((value) => value && setEntries(value));
  }, [load, supervisionKey]);
  return (
    <PanelFrame title={`Log of ${name}`} testId="panel-logs">
      <div className="action-panel__bar">
        <span className="muted small">Last 200 lines: stderr, protocol notes and supervisor events.</span>
        <button
          type="button"
          className="button button--small"
          data-testid="logs-refresh"
          onClick={() => void load().then((value) => value && setEntries(value))}
        >
          {logs.phase === 'running' ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      {logs.phase === 'failed' ? <CallError error={logs.error} /> : null}
      {entries.length === 0 && logs.phase === 'done' ? <p className="muted small">The log is empty.</p> : null}
      <ol className="log-tail mono" data-testid="log-tail">
        {entries.map((entry, i) => (
          <li key={`${entry.at}-${i}`} className={`log-line log-line--${entry.level}`}>
            <span className="log-line__time">{formatClock(entry.at)}</span>
            <span className="log-line__source">{entry.source}</span>
            <span className="log-line__text">{entry.text}</span>
          </li>
        ))}
      </ol>
    </PanelFrame>
  );
}
