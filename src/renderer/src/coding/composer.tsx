/**
 * Sending work to a coding agent from the person (`user`): a new task, or a follow-up
 * that continues a chosen task's session; and Cancel for a task that still runs.
 */
import { useId, useState } from 'react';
import type { FormEvent, KeyboardEvent, ReactNode } from 'react';
import type { CodingTaskRequest } from '../../../shared/coding.js';
import { PARTICIPANT_NAME } from '../../../shared/coding.js';
import { CallError } from '../common/call-error.js';
import { useCall } from '../common/use-call.js';
import type { TaskPhase } from '../model/conversation.js';
import { coreApi } from '../store/actions.js';

const NEW_TASK = '';

export function Composer(props: { peer: string; tasks: { taskId: string; phase: TaskPhase }[] }): ReactNode {
  const { peer, tasks } = props;
  const [prompt, setPrompt] = useState('');
  const [continueTask, setContinueTask] = useState(NEW_TASK);
  const ids = { prompt: useId(), task: useId() };
  const [sent, send] = useCall((body: CodingTaskRequest) => coreApi().messages.send({ from: PARTICIPANT_NAME, to: peer, kind: 'task.assigned', body }));
  const [cancelled, cancel] = useCall((taskId: string) => coreApi().messages.send({ from: PARTICIPANT_NAME, to: peer, kind: 'task.cancel', body: { taskId } }));
  const running = tasks.filter((task) => task.phase === 'running');
  // A task chosen earlier may have left the list (a new conversation): then it is a new task.
  const chosen = tasks.some((task) => task.taskId === continueTask) ? continueTask : NEW_TASK;

  const submit = (event?: FormEvent): void => {
    event?.preventDefault();
    const text = prompt.trim();
    if (text === '') return;
    void send(chosen === NEW_TASK ? text : { prompt: text, taskId: chosen }).then((result) => {
      if (result) setPrompt('');
    });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) submit();
  };

  return (
    <form className="composer" onSubmit={submit} data-testid="composer">
      {running.length > 0 ? (
        <div className="composer__running" data-testid="running-tasks">
          {running.map((task) => (
            <span key={task.taskId} className="composer__task">
              <span className="status status--busy">
                <span className="status-dot" aria-hidden="true" />
                <span className="mono">{task.taskId}</span> running
              </span>
              <button
                type="button"
                className="button button--small button--danger"
                data-testid="task-cancel"
                disabled={cancelled.phase === 'running'}
                onClick={() => void cancel(task.taskId)}
              >
                Cancel
              </button>
            </span>
          ))}
        </div>
      ) : null}
      <label htmlFor={ids.prompt} className="visually-hidden">
        Task for {peer}
      </label>
      <textarea
        id={ids.prompt}
        className="input textarea"
        rows={3}
        placeholder={`Ask ${peer} to do something… (Ctrl+Enter sends)`}
        value={prompt}
        onChange={(e) => setPrompt(e.target.value)}
        onKeyDown={onKeyDown}
        data-testid="composer-prompt"
      />
      <div className="composer__bar">
        <label htmlFor={ids.task} className="small muted">
          As
        </label>
        <select id={ids.task} value={chosen} onChange={(e) => setContinueTask(e.target.value)} data-testid="composer-task">
          <option value={NEW_TASK}>a new task</option>
          {tasks.map((task) => (
            <option key={task.taskId} value={task.taskId}>
              a follow-up to {task.taskId} ({task.phase})
            </option>
          ))}
        </select>
        <button type="submit" className="button button--primary" disabled={prompt.trim() === '' || sent.phase === 'running'} data-testid="composer-send">
          {sent.phase === 'running' ? 'Sending…' : 'Send'}
        </button>
      </div>
      {sent.phase === 'failed' ? <CallError error={sent.error} /> : null}
      {cancelled.phase === 'failed' ? <CallError error={cancelled.error} /> : null}
    </form>
  );
}
