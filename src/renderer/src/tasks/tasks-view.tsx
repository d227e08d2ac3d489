/**
 * The Tasks view: a board by phase, live from `tasks.list` and `tasks.changed`, filtered
 * by agent and by the chosen repo; a task's detail beside it; a form for a new task.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { CallError } from '../common/call-error.js';
import { EmptyState } from '../common/empty-state.js';
import { RepoSelect } from '../common/repo-select.js';
import { filterTasks, taskAgents } from '../model/task-board.js';
import { useAppStore } from '../store/app-store.js';
import { setTaskAgentFilter } from '../store/work-actions.js';
import { NewTaskForm } from './new-task-form.js';
import { TaskBoard } from './task-board.js';
import { TaskDetail } from './task-detail.js';
import './tasks.css';

export function TasksView(): ReactNode {
  const repo = useAppStore((state) => state.repoChoice);
  const agent = useAppStore((state) => state.taskAgentFilter);
  const tasks = useAppStore(useShallow((state) => filterTasks(state.tasks.values(), state.repoChoice, state.taskAgentFilter)));
  const inRepo = useAppStore((state) => (state.repoChoice === null ? state.tasks.size : filterTasks(state.tasks.values(), state.repoChoice, '').length));
  const agents = useAppStore(useShallow((state) => taskAgents(state.tasks.values())));
  const load = useAppStore((state) => state.tasksLoad);
  const selected = useAppStore((state) => state.selectedTask);
  const severalRepos = useAppStore((state) => state.repos.length > 1);
  const [creating, setCreating] = useState(false);
  return (
    <section className="view" aria-labelledby="tasks-title">
      <div className="view__header">
        <h1 id="tasks-title">Tasks</h1>
        <span className="view__meta" data-testid="tasks-count">
          {agent !== '' ? `${tasks.length} of ${inRepo}` : inRepo} {inRepo === 1 ? 'task' : 'tasks'}
          {repo ? ` in ${repo}` : ''}
        </span>
        <div className="view__actions">
          <button type="button" className="button button--primary" aria-expanded={creating} data-testid="open-new-task" onClick={() => setCreating(!creating)}>
            New task
          </button>
        </div>
      </div>
      {creating ? <NewTaskForm onClose={() => setCreating(false)} /> : null}
      <div className="toolbar" role="search" aria-label="Filter tasks">
        <label className="toolbar__select">
          <span>Agent</span>
          <select value={agent} data-testid="tasks-filter-agent" onChange={(event) => setTaskAgentFilter(event.target.value)}>
            <option value="">Anyone</option>
            {agents.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <RepoSelect testId="tasks-filter-repo" />
      </div>
      {load.phase === 'failed' ? (
        <>
          <p className="muted">The core did not list its tasks:</p>
          <CallError error={load.error} testId="tasks-load-error" />
        </>
      ) : null}
      {load.phase === 'loading' && inRepo === 0 ? (
        <p className="muted" aria-busy="true">
          Loading tasks…
        </p>
      ) : load.phase === 'ready' && inRepo === 0 ? (
        <EmptyState title="No tasks yet" testId="tasks-empty" icon="▦">
          <p>Create one with New task, for an agent by name or for a role (type:coder, capability:review).</p>
        </EmptyState>
      ) : inRepo > 0 ? (
        <div className={`inspect-layout${selected ? ' inspect-layout--inspecting' : ''}`}>
          <TaskBoard tasks={tasks} selected={selected} showRepo={repo === null && severalRepos} />
          {selected ? <TaskDetail key={selected} taskKey={selected} /> : null}
        </div>
      ) : null}
    </section>
  );
}
