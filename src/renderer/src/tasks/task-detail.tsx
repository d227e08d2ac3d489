/**
 * A task's detail beside the board: what it asks, for whom and who has it, its phase
 * history, parent and subtasks, its result or typed error, its cost and the traces of
 * its messages; *Cancel* while it runs.
 */
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TaskRecord } from '../../../shared/tasks.js';
import { FINAL_PHASES } from '../../../shared/tasks.js';
import { CallError } from '../common/call-error.js';
import { useCall } from '../common/use-call.js';
import { formatCost, formatTokens } from '../model/coding-format.js';
import { BOARD_COLUMNS, describeTaskError, formatTimeout, subtasksOf, taskKey } from '../model/task-board.js';
import { useAppStore } from '../store/app-store.js';
import { coreApi } from '../store/actions.js';
import { recordTask, selectTask } from '../store/work-actions.js';
import { bodyText, formatClock } from '../traces/trace-format.js';
import { TaskTraces } from './task-traces.js';

const PHASE_TITLE = new Map(BOARD_COLUMNS.map((column) => [column.phase, column.title]));

function phaseTone(task: TaskRecord): string {
  if (task.phase === 'complete') return 'ok';
  if (task.phase === 'failed') return 'error';
  if (task.phase === 'init') return 'warn';
  return 'pending';
}

export function TaskDetail(props: { taskKey: string }): ReactNode {
  const task = useAppStore((state) => state.tasks.get(props.taskKey));
  const subtasks = useAppStore(useShallow((state) => (task ? subtasksOf(state.tasks.values(), task) : [])));
  const parent = useAppStore((state) => (task?.parentId ? state.tasks.get(`${task.repo}/${task.parentId}`) : undefined));
  const [cancelled, cancel] = useCall(async (t: TaskRecord) => {
    const record = await coreApi().tasks.cancel({ id: t.id, repo: t.repo });
    recordTask(record);
    return record;
  });
  if (!task) {
    return (
      <aside className="inspector" aria-label="Task">
        <p className="muted">This task is no longer listed.</p>
      </aside>
    );
  }
  const failure = describeTaskError(task);
  return (
    <aside className="inspector task-detail" aria-labelledby="task-detail-title" data-testid="task-detail" data-task={task.id}>
      <header className="inspector__header">
        <h2 id="task-detail-title">{task.title}</h2>
        <button type="button" className="button button--ghost button--small" aria-label="Close task" onClick={() => selectTask(null)}>
          ✕
        </button>
      </header>
      <dl className="facts">
        <dt>Phase</dt>
        <dd>
          <span className={`pill pill--${phaseTone(task)}`} data-testid="task-phase">
            {PHASE_TITLE.get(task.phase) ?? task.phase}
          </span>
        </dd>
        <dt>For</dt>
        <dd className="mono">{task.target}</dd>
        <dt>Assigned to</dt>
        <dd className="mono" data-testid="task-assignee">
          {task.assignedTo ?? <span className="muted">nobody yet (queued)</span>}
        </dd>
        <dt>Asked by</dt>
        <dd className="mono">{task.requestedBy}</dd>
        <dt>Task</dt>
        <dd className="mono">
          {task.id} <span className="muted">in</span> {task.repo}
        </dd>
        <dt>Timeout</dt>
        <dd>{formatTimeout(task.timeoutMs)}</dd>
        <dt>Cost</dt>
        <dd className="mono" data-testid="task-cost">
          {formatTokens(task.cost.inputTokens)} in · {formatTokens(task.cost.outputTokens)} out · {formatCost(task.cost.costUsd)}
        </dd>
        {parent || task.parentId ? (
          <>
            <dt>Parent</dt>
            <dd>
              {parent ? (
                <button type="button" className="button button--ghost button--small" onClick={() => selectTask(taskKey(parent))}>
                  {parent.title}
                </button>
              ) : (
                <span className="mono">{task.parentId}</span>
              )}
            </dd>
          </>
        ) : null}
      </dl>
      {!FINAL_PHASES.has(task.phase) ? (
        <div className="form-actions form-actions--tight">
          <button
            type="button"
            className="button button--danger button--small"
            data-testid="task-cancel"
            disabled={cancelled.phase === 'running'}
            onClick={() => void cancel(task)}
          >
            {cancelled.phase === 'running' ? 'Cancelling…' : 'Cancel task'}
          </button>
        </div>
      ) : null}
      {cancelled.phase === 'failed' ? <CallError error={cancelled.error} /> : null}
      {failure ? (
        <div className="call-error" role="status" data-testid="task-error" data-error-name={task.error?.name}>
          <span className="call-error__name">{failure.title}</span>
          <span className="call-error__message">{failure.message}</span>
        </div>
      ) : null}
      <h3 className="task-detail__heading">Asked</h3>
      <pre className="task-detail__body">{bodyText(task.body).text}</pre>
      {task.result !== null ? (
        <>
          <h3 className="task-detail__heading">Result</h3>
          <pre className="task-detail__body" data-testid="task-result">
            {bodyText(task.result).text}
          </pre>
        </>
      ) : null}
      {subtasks.length > 0 ? (
        <>
          <h3 className="task-detail__heading">Subtasks</h3>
          <ul className="task-detail__list" data-testid="task-subtasks">
            {subtasks.map((sub) => (
              <li key={sub.id}>
                <button type="button" className="button button--ghost button--small" onClick={() => selectTask(taskKey(sub))}>
                  {sub.title}
                </button>{' '}
                <span className="muted small">{PHASE_TITLE.get(sub.phase)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3 className="task-detail__heading">History</h3>
      <ol className="task-detail__list" data-testid="task-history">
        {task.history.map((change) => (
          <li key={`${change.phase}@${change.at}`}>
            <span className="mono">{formatClock(change.at)}</span> {PHASE_TITLE.get(change.phase)}{' '}
            <span className="muted small">by {change.by}</span>
          </li>
        ))}
      </ol>
      <h3 className="task-detail__heading">Messages</h3>
      <TaskTraces messageIds={task.messageIds} />
    </aside>
  );
}
