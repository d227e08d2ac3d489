/**
 * Start a local agent from one of the manifests the core knows.
 */
import { useEffect, useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { CallError } from '../common/call-error.js';
import { useCall } from '../common/use-call.js';
import { coreApi } from '../store/actions.js';
import { PanelFrame } from './panel-frame.js';

const listManifests = () => coreApi().manifests.list();

export function StartPanel(): ReactNode {
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
