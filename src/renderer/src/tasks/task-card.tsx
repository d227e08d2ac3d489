/**
 * One task on the board: its title, who it is for and who has it, its repo when the
 * board shows several; a click (or Enter) opens its detail.
 */
import { memo } from 'react';
import type { ReactNode } from 'react';
import type { TaskRecord } from '../../../shared/tasks.js';
import { formatCost } from '../model/coding-format.js';
import { taskKey } from '../model/task-board.js';
import { selectTask } from '../store/work-actions.js';

export const TaskCard = memo(function TaskCard(props: { task: TaskRecord; selected: boolean; showRepo: boolean }): ReactNode {
  const { task, selected, showRepo } = props;
  return (
    <li>
      <button
        type="button"
        className="task-card"
        aria-pressed={selected}
        data-testid="task-card"
        data-task={task.id}
        data-phase={task.phase}
        onClick={() => selectTask(selected ? null : taskKey(task))}
      >
        <span className="task-card__title">{task.title}</span>
        <span className="task-card__line muted small">
          <span className="mono">{task.target}</span>
          {task.assignedTo && task.assignedTo !== task.target ? (
            <>
              {' → '}
              <span className="mono">{task.assignedTo}</span>
            </>
          ) : null}
          {!task.assignedTo && task.phase === 'init' ? ' · waiting for a free instance' : null}
        </span>
        <span className="task-card__line muted small">
          <span className="mono">{task.id}</span>
          {showRepo ? <span className="agent-repo">{task.repo}</span> : null}
          {task.error ? <span className="task-card__error">{task.error.name}</span> : null}
          {task.cost.costUsd !== null && task.cost.costUsd > 0 ? <span className="mono"> · {formatCost(task.cost.costUsd)}</span> : null}
        </span>
      </button>
    </li>
  );
});
