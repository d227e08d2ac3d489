/**
 * Spawn a worker for a task, here or on the team, as the coordinator decides.
 */
import { useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { CallError } from '../common/call-error.js';
import { useCall } from '../common/use-call.js';
import { coreApi } from '../store/actions.js';
import { PanelFrame } from './panel-frame.js';

export function SpawnPanel(): ReactNode {
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
