/**
 * The board: one column per phase (src/shared/tasks.ts TaskPhase), newest change on top.
 */
import { useMemo } from 'react';
import type { ReactNode } from 'react';
import type { TaskRecord } from '../../../shared/tasks.js';
import { BOARD_COLUMNS, groupByPhase, taskKey } from '../model/task-board.js';
import { TaskCard } from './task-card.js';

export function TaskBoard(props: { tasks: readonly TaskRecord[]; selected: string | null; showRepo: boolean }): ReactNode {
  const columns = useMemo(() => groupByPhase(props.tasks), [props.tasks]);
  return (
    <div className="task-board" data-testid="task-board">
      {BOARD_COLUMNS.map((column) => {
        const tasks = columns.get(column.phase) ?? [];
        const headingId = `task-column-${column.phase}`;
        return (
          <section key={column.phase} className={`task-column task-column--${column.phase}`} aria-labelledby={headingId} data-testid={`task-column-${column.phase}`}>
            <h2 id={headingId} className="task-column__title" title={column.hint}>
              {column.title} <span className="task-column__count">{tasks.length}</span>
            </h2>
            {tasks.length === 0 ? (
              <p className="muted small task-column__empty">None.</p>
            ) : (
              <ul className="task-column__list">
                {tasks.map((task) => (
                  <TaskCard key={taskKey(task)} task={task} selected={props.selected === taskKey(task)} showRepo={props.showRepo} />
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
