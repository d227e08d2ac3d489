import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { LogEntry } from '../../../shared/agent-protocol.js';
import type { MessageKind } from '../../../shared/domain.js';
import { MessageKind as MessageKindSchema } from '../../../shared/domain.js';
import { CallError } from '../common/call-error.js';
import { useCall } from '../common/use-call.js';
import { useAppStore } from '../store/app-store.js';
import type { AgentPanel } from '../store/slices.js';
import { coreApi, openAgentPanel, showTrace } from '../store/actions.js';
import { formatClock } from '../traces/trace-format.js';
import { supervisionOf } from './supervision.js';

/** The open panel of the Agents view, if any. */
export function AgentPanelView(props: { panel: NonNullable<AgentPanel> }): ReactNode {
  const { panel } = props;
  switch (panel.kind) {
    case 'start':
      return <StartPanel />;
    case 'spawn':
      return <SpawnPanel />;
    case 'send':
      return <SendPanel key={`${panel.from ?? ''}>${panel.to ?? ''}`} to={panel.to} from={panel.from} />;
    case 'logs':
      return <LogsPanel key={panel.name} name={panel.name} />;
  }
}

function PanelFrame(props: { title: string; testId: string; children: ReactNode }): ReactNode {
  return (
    <section className="panel action-panel" aria-label={props.title} data-testid={props.testId}>
      <header className="action-panel__header">
        <h2>{props.title}</h2>
        <button type="button" className="button button--ghost button--small" aria-label="Close" onClick={() => openAgentPanel(null)}>
          ✕
        </button>
      </header>
      {props.children}
    </section>
  );
}

const listManifests = () => coreApi().manifests.list();

function StartPanel(): ReactNode {
  const [manifests, loadManifests] = useCall(listManifests);
  const [started, start] = useCall((type: string, name?: string) => coreApi().agents.start(name ? { type, name } : { type }));
  const [type, setType] = useState('');
  const [name, setName] = useState('');
  const ids = { type: useId(), name: useId() };
  useEffect(() => void loadManifests(), [loadManifests]);
  const list = manifests.phase === 'done' ? manifests.value.manifests : [];
  const chosen = list.find((m) => m.manifest.type === type) ?? list[0];

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (chosen) void start(chosen.manifest.type, name.trim() || undefined);
  };
  return (
    <PanelFrame title="Start a local agent" testId="panel-start">
      {manifests.phase === 'failed' ? <CallError error={manifests.error} /> : null}
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor={ids.type}>Manifest</label>
        <select id={ids.type} value={chosen?.manifest.type ?? ''} onChange={(e) => setType(e.target.value)} data-testid="start-type">
          {list.map((m) => (
            <option key={m.manifest.type} value={m.manifest.type}>
              {m.manifest.type} {m.source === 'user' ? '(yours)' : ''}
            </option>
          ))}
        </select>
        <label htmlFor={ids.name}>Name</label>
        <input
          id={ids.name}
          className="input mono"
          placeholder={chosen ? `${chosen.manifest.type} (or ${chosen.manifest.type}-2, …)` : ''}
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="start-name"
        />
        <button type="submit" className="button button--primary" disabled={!chosen || started.phase === 'running'} data-testid="start-submit">
          {started.phase === 'running' ? 'Starting…' : 'Start'}
        </button>
      </form>
      {chosen?.manifest.description ? <p className="muted small">{chosen.manifest.description}</p> : null}
      {manifests.phase === 'done' && manifests.value.problems.length > 0 ? (
        <ul className="problems small">
          {manifests.value.problems.map((p) => (
            <li key={p.file}>
              <code>{p.file}</code> skipped: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      {started.phase === 'failed' ? <CallError error={started.error} /> : null}
      {started.phase === 'done' ? (
        <p className="result-line" role="status" data-testid="start-result">
          Started <strong className="mono">{started.value.name}</strong> ({started.value.status}).
        </p>
      ) : null}
    </PanelFrame>
  );
}

function SpawnPanel(): ReactNode {
  const [spawned, spawn] = useCall((task: string, type: string, preferLocation: 'local' | 'remote' | '') =>
    coreApi().agents.spawn({ task, type, ...(preferLocation ? { preferLocation } : {}) }),
  );
  const [task, setTask] = useState('');
  const [type, setType] = useState('worker');
  const [prefer, setPrefer] = useState<'local' | 'remote' | ''>('');
  const ids = { task: useId(), type: useId(), prefer: useId() };
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void spawn(task, type.trim() || 'worker', prefer);
  };
  return (
    <PanelFrame title="Spawn a worker" testId="panel-spawn">
      <form className="stack-form" onSubmit={submit}>
        <label htmlFor={ids.task}>Task</label>
        <textarea id={ids.task} className="input textarea" rows={3} value={task} onChange={(e) => setTask(e.target.value)} data-testid="spawn-task" />
        <div className="inline-form">
          <label htmlFor={ids.type}>Type</label>
          <input id={ids.type} className="input mono" value={type} onChange={(e) => setType(e.target.value)} data-testid="spawn-type" />
          <label htmlFor={ids.prefer}>Prefer</label>
          <select id={ids.prefer} value={prefer} onChange={(e) => setPrefer(e.target.value as typeof prefer)}>
            <option value="">where the config places it</option>
            <option value="local">this laptop</option>
            <option value="remote">remote</option>
          </select>
          <button type="submit" className="button button--primary" disabled={task.trim() === '' || spawned.phase === 'running'} data-testid="spawn-submit">
            {spawned.phase === 'running' ? 'Spawning…' : 'Spawn'}
          </button>
        </div>
      </form>
      {spawned.phase === 'failed' ? <CallError error={spawned.error} /> : null}
      {spawned.phase === 'done' ? (
        <p className="result-line" role="status" data-testid="spawn-result">
          Spawned <strong className="mono">{spawned.value.workerName}</strong> on{' '}
          {spawned.value.location === 'local' ? 'this laptop' : 'remote'} ({spawned.value.route}).
        </p>
      ) : null}
    </PanelFrame>
  );
}

const KINDS = MessageKindSchema.options;

/** The body as typed: JSON when it parses, otherwise the text itself. */
export function parseBodyInput(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return text;
  }
}

function SendPanel(props: { to?: string; from?: string }): ReactNode {
  const names = useAppStore(useShallow((state) => [...new Set([...state.agents.values()].map((a) => a.name))].sort()));
  const [from, setFrom] = useState(props.from ?? 'user');
  const [to, setTo] = useState(props.to ?? '');
  const [kind, setKind] = useState<MessageKind>('text');
  const [body, setBody] = useState('');
  const [sent, send] = useCall((input: { from: string; to: string; kind: MessageKind; body: unknown }) =>
    coreApi().messages.send({ ...input, body: input.body as never }),
  );
  const ids = { from: useId(), to: useId(), kind: useId(), body: useId(), list: useId() };
  const parsed = useMemo(() => parseBodyInput(body), [body]);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void send({ from: from.trim() || 'user', to: to.trim(), kind, body: parsed });
  };
  return (
    <PanelFrame title="Send a message" testId="panel-send">
      <form className="stack-form" onSubmit={submit}>
        <datalist id={ids.list}>
          {names.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <div className="inline-form">
          <label htmlFor={ids.from}>From</label>
          <input id={ids.from} className="input mono" list={ids.list} value={from} onChange={(e) => setFrom(e.target.value)} data-testid="send-from" />
          <label htmlFor={ids.to}>To</label>
          <input id={ids.to} className="input mono" list={ids.list} value={to} onChange={(e) => setTo(e.target.value)} data-testid="send-to" />
          <label htmlFor={ids.kind}>Kind</label>
          <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as MessageKind)} data-testid="send-kind">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <label htmlFor={ids.body}>
          Body <span className="muted small">— JSON if it parses, otherwise sent as text</span>
        </label>
        <textarea
          id={ids.body}
          className="input textarea mono"
          rows={4}
          value={body}
          placeholder='{"task": "run the tests"}'
          onChange={(e) => setBody(e.target.value)}
          data-testid="send-body"
        />
        <div className="form-actions form-actions--tight">
          <span className="muted small">{typeof parsed === 'string' ? 'text' : 'JSON'}</span>
          <button type="submit" className="button button--primary" disabled={to.trim() === '' || sent.phase === 'running'} data-testid="send-submit">
            {sent.phase === 'running' ? 'Sending…' : 'Send'}
          </button>
        </div>
      </form>
      {sent.phase === 'failed' ? <CallError error={sent.error} /> : null}
      {sent.phase === 'done' ? (
        <p className="result-line" role="status" data-testid="send-result" data-status={sent.value.status}>
          <span className={`pill pill--${sent.value.status === 'delivered' ? 'ok' : sent.value.status === 'expired' ? 'error' : sent.value.status === 'queued' ? 'warn' : 'pending'}`}>
            {sent.value.status}
          </span>{' '}
          via <span className={`via via--${sent.value.route.routedVia}`}>{sent.value.route.routedVia}</span>{' '}
          <button type="button" className="button button--ghost button--small" onClick={() => showTrace(sent.value.messageId)}>
            Open trace <code>{sent.value.messageId}</code>
          </button>
        </p>
      ) : null}
    </PanelFrame>
  );
}

/** The tail of one local agent's log; fetched on open, on Refresh, and when its supervision changes. */
function LogsPanel(props: { name: string }): ReactNode {
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
