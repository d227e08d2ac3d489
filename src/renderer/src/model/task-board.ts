/**
 * The Tasks view's pure logic: which tasks a board shows, in which column, and how a
 * batch of `tasks.changed` folds into what the window holds.
 */
import type { TaskPhase, TaskRecord } from '../../../shared/tasks.js';

/** The board's columns, in the order a task moves through them. */
export const BOARD_COLUMNS: readonly { phase: TaskPhase; title: string; hint: string }[] = [
  { phase: 'init', title: 'Queued', hint: 'created, waiting for a free instance' },
  { phase: 'planning', title: 'Planning', hint: 'the assignee has the task' },
  { phase: 'executing', title: 'Executing', hint: 'the assignee is working on it' },
  { phase: 'validating', title: 'Validating', hint: 'done, waiting for its validator' },
  { phase: 'complete', title: 'Complete', hint: 'finished and accepted' },
  { phase: 'failed', title: 'Failed', hint: 'failed, rejected, cancelled or timed out' },
];

/** How the store keys a task: ids are unique per repo only. */
export function taskKey(task: { repo: string; id: string }): string {
  return `${task.repo}/${task.id}`;
}

/**
 * Folds changed tasks into the map the window holds: the newer `updatedAt` wins, so an
 * answer of `tasks.list` that arrives after an event never undoes it. The same Map
 * comes back when nothing changed.
 */
export function applyTaskUpserts(current: ReadonlyMap<string, TaskRecord>, upserts: Iterable<TaskRecord>): Map<string, TaskRecord> {
  let next: Map<string, TaskRecord> | null = null;
  for (const task of upserts) {
    const key = taskKey(task);
    const held = (next ?? current).get(key);
    if (held && held.updatedAt > task.updatedAt) continue;
    next ??= new Map(current);
    next.set(key, task);
  }
  return next ?? (current as Map<string, TaskRecord>);
}

/**
 * The tasks of a repo (null: every repo) that involve `agent` ('' : anyone) as
 * assignee or requester, newest change first.
 */
export function filterTasks(tasks: Iterable<TaskRecord>, repo: string | null, agent: string): TaskRecord[] {
  const out: TaskRecord[] = [];
  for (const task of tasks) {
    if (repo !== null && task.repo !== repo) continue;
    if (agent !== '' && task.assignedTo !== agent && task.requestedBy !== agent) continue;
    out.push(task);
  }
  return out.sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
}

/** The tasks per column, each column in the order given. */
export function groupByPhase(tasks: readonly TaskRecord[]): Map<TaskPhase, TaskRecord[]> {
  const columns = new Map<TaskPhase, TaskRecord[]>(BOARD_COLUMNS.map((column) => [column.phase, []]));
  for (const task of tasks) columns.get(task.phase)?.push(task);
  return columns;
}

/** Every agent a task names as assignee or requester, sorted: the agent filter's choices. */
export function taskAgents(tasks: Iterable<TaskRecord>): string[] {
  const names = new Set<string>();
  for (const task of tasks) {
    names.add(task.requestedBy);
    if (task.assignedTo) names.add(task.assignedTo);
  }
  return [...names].sort();
}

/** A task's subtasks (same repo), oldest first. */
export function subtasksOf(tasks: Iterable<TaskRecord>, parent: TaskRecord): TaskRecord[] {
  const out: TaskRecord[] = [];
  for (const task of tasks) if (task.repo === parent.repo && task.parentId === parent.id) out.push(task);
  return out.sort((a, b) => a.createdAt - b.createdAt);
}

/** Why a task failed, in plain words: a timeout says how long it had. */
export function describeTaskError(task: TaskRecord): { title: string; message: string } | null {
  if (!task.error) return null;
  if (task.error.name === 'TimeoutError') {
    return { title: 'Timed out', message: `No result within ${formatTimeout(task.timeoutMs)}. ${task.error.message}`.trim() };
  }
  if (task.error.name === 'Cancelled') return { title: 'Cancelled', message: task.error.message };
  return { title: task.error.name, message: task.error.message };
}

/** 90_000 → "1 min 30 s", 1_800_000 → "30 min", 7_200_000 → "2 h". */
export function formatTimeout(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return [hours > 0 ? `${hours} h` : '', minutes > 0 ? `${minutes} min` : '', rest > 0 ? `${rest} s` : ''].filter(Boolean).join(' ');
}
