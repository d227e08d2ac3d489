/**
 * A new task: title, what to do, for whom (a name, `type:x` or `capability:x`) and how
 * long it may take, then `tasks.create`; its typed error (ValidationError per field,
 * NoAgentAvailable…) shows as the core said it.
 */
import { useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TaskRecord } from '../../../shared/tasks.js';
import { parseBodyInput } from '../agents/send-panel.js';
import { CallError } from '../common/call-error.js';
import { useCall } from '../common/use-call.js';
import { targetSuggestions } from '../model/dispatch-targets.js';
import { taskKey } from '../model/task-board.js';
import { useAppStore } from '../store/app-store.js';
import { coreApi } from '../store/actions.js';
import { recordTask, selectTask } from '../store/work-actions.js';

export function NewTaskForm(props: { onClose: () => void }): ReactNode {
  const suggestions = useAppStore(useShallow((state) => targetSuggestions(state.agents.values())));
  const repo = useAppStore((state) => state.repoChoice);
  const [title, setTitle] = useState('');
  const [to, setTo] = useState('');
  const [body, setBody] = useState('');
  const [minutes, setMinutes] = useState('30');
  const [validateBy, setValidateBy] = useState('');
  const [created, create] = useCall(async (): Promise<TaskRecord> => {
    const task = await coreApi().tasks.create({
      title: title.trim(),
      // Without a body the assignee gets the title as its prompt.
      body: (body.trim() === '' ? title.trim() : parseBodyInput(body)) as never,
      to: to.trim(),
      timeoutMs: Math.round(Number(minutes) * 60_000),
      // Who checks the result before the task is complete (docs/tasks.md, Phases).
      ...(validateBy.trim() === '' ? {} : { constraints: { validateBy: validateBy.trim() } }),
      ...(repo ? { repo } : {}),
    });
    recordTask(task);
    selectTask(taskKey(task));
    return task;
  });
  const ids = { title: useId(), to: useId(), body: useId(), timeout: useId(), list: useId(), validate: useId() };
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void create();
  };
  const timeoutValid = Number.isFinite(Number(minutes)) && Number(minutes) > 0;
  return (
    <section className="panel action-panel" aria-labelledby={`${ids.title}-heading`} data-testid="new-task">
      <header className="action-panel__header">
        <h2 id={`${ids.title}-heading`}>New task{repo ? ` in ${repo}` : ''}</h2>
        <button type="button" className="button button--ghost button--small" aria-label="Close" onClick={props.onClose}>
          ✕
        </button>
      </header>
      <form className="stack-form" onSubmit={submit}>
        <datalist id={ids.list}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <label htmlFor={ids.title}>Title</label>
        <input id={ids.title} className="input" value={title} required onChange={(e) => setTitle(e.target.value)} data-testid="task-title" />
        <div className="inline-form">
          <label htmlFor={ids.to}>For</label>
          <input
            id={ids.to}
            className="input mono"
            list={ids.list}
            value={to}
            placeholder="coder, type:coder or capability:review"
            onChange={(e) => setTo(e.target.value)}
            data-testid="task-to"
          />
          <label htmlFor={ids.timeout}>Timeout (min)</label>
          <input
            id={ids.timeout}
            className="input mono"
            type="number"
            min="0.01"
            step="any"
            value={minutes}
            aria-invalid={!timeoutValid}
            onChange={(e) => setMinutes(e.target.value)}
            data-testid="task-timeout"
          />
        </div>
        <label htmlFor={ids.validate}>
          Validated by <span className="muted small">— optional: a name or a role that approves the result</span>
        </label>
        <input
          id={ids.validate}
          className="input mono"
          list={ids.list}
          value={validateBy}
          placeholder="type:review"
          onChange={(e) => setValidateBy(e.target.value)}
          data-testid="task-validate-by"
        />
        <label htmlFor={ids.body}>
          What to do <span className="muted small">— JSON if it parses, otherwise text; the title when empty</span>
        </label>
        <textarea id={ids.body} className="input textarea mono" rows={4} value={body} onChange={(e) => setBody(e.target.value)} data-testid="task-body" />
        <div className="form-actions form-actions--tight">
          <button
            type="submit"
            className="button button--primary"
            disabled={title.trim() === '' || to.trim() === '' || !timeoutValid || created.phase === 'running'}
            data-testid="task-create"
          >
            {created.phase === 'running' ? 'Creating…' : 'Create task'}
          </button>
        </div>
      </form>
      {created.phase === 'failed' ? <CallError error={created.error} testId="task-create-error" /> : null}
      {created.phase === 'done' ? (
        <p className="result-line" role="status" data-testid="task-created">
          Created <span className="mono">{created.value.id}</span>
          {created.value.assignedTo ? (
            <>
              {' '}
              for <span className="mono">{created.value.assignedTo}</span>
            </>
          ) : (
            ', queued until an instance is free'
          )}
          .
        </p>
      ) : null}
    </section>
  );
}
