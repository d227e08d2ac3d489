/**
 * The task phase machine (src/shared/tasks.ts, docs/tasks.md): pure, so every rule is
 * tested without a router, a database or a clock.
 *
 * A task moves forward only: init → planning → executing → validating → complete, with
 * `failed` reachable from every phase that is not final. A final phase never changes. A
 * message that would move a task backwards (a late `task.progress` after completion, a
 * duplicate `task.started`) changes nothing, so redelivered or reordered messages are
 * harmless. Only the assignee moves its own task; only the validator decides on it.
 */
import type { Usage } from '../../shared/coding.js';
import type { PhaseChange, TaskError, TaskPhase, TaskRecord } from '../../shared/tasks.js';
import { FINAL_PHASES } from '../../shared/tasks.js';
import { parseTarget } from '../../shared/dispatch.js';

/** What can happen to a task, read from a message (task-messages.ts) or decided by its requester. */
export type TaskEvent =
  /** A role send chose this instance (or a name was sent to); the task stays in init until it arrives. */
  | { type: 'dispatched'; to: string }
  /** `task.assigned` reached the assignee (delivered here or received over NATS). */
  | { type: 'assigned'; by: string }
  | { type: 'started'; by: string }
  | { type: 'progress'; by: string }
  | { type: 'completed'; by: string; result: TaskRecord['result']; usage?: Usage }
  | { type: 'failed'; by: string; error: TaskError; usage?: Usage }
  | { type: 'decision'; by: string; approved: boolean; reason: string }
  | { type: 'cancelled'; by: string }
  | { type: 'timeout' };

/** The order of the forward phases; `failed` sits apart. */
const RANK: Record<TaskPhase, number> = { init: 0, planning: 1, executing: 2, validating: 3, complete: 4, failed: 4 };

/**
 * The task after `event` at `now`, or undefined when the event changes nothing.
 *
 * Never mutates its input; the returned record has a new history entry when the phase
 * moved, and cost added from any usage the event carried.
 */
export function advance(task: TaskRecord, event: TaskEvent, now: number): TaskRecord | undefined {
  if (FINAL_PHASES.has(task.phase)) return undefined;
  return (RULES[event.type] as (task: TaskRecord, event: TaskEvent, now: number) => TaskRecord | undefined)(task, event, now);
}

type Rule<T extends TaskEvent['type']> = (task: TaskRecord, event: Extract<TaskEvent, { type: T }>, now: number) => TaskRecord | undefined;

/** One rule per event, each for a task not yet final. */
const RULES: { [T in TaskEvent['type']]: Rule<T> } = {
  dispatched: (task, event, now) => (task.phase !== 'init' || task.assignedTo === event.to ? undefined : { ...task, assignedTo: event.to, updatedAt: now }),
  // The delivery may be seen before the send that chose the instance returns.
  assigned: (task, event, now) =>
    task.assignedTo !== null && task.assignedTo !== event.by ? undefined : forward({ ...task, assignedTo: event.by }, 'planning', event.by, now),
  started: (task, event, now) => (fromAssignee(task, event.by) ? forward(task, 'executing', event.by, now) : undefined),
  progress: (task, event, now) => (fromAssignee(task, event.by) ? forward(task, 'executing', event.by, now) : undefined),
  completed: (task, event, now) => {
    if (!fromAssignee(task, event.by) || task.phase === 'validating') return undefined;
    const next = task.constraints.validateBy === undefined ? 'complete' : 'validating';
    return moved({ ...task, result: event.result, cost: addUsage(task.cost, event.usage) }, next, event.by, now);
  },
  failed: (task, event, now) =>
    fromAssignee(task, event.by) ? moved({ ...task, error: event.error, cost: addUsage(task.cost, event.usage) }, 'failed', event.by, now) : undefined,
  decision: (task, event, now) => {
    if (task.phase !== 'validating' || !fromValidator(task, event.by)) return undefined;
    if (event.approved) return moved(task, 'complete', event.by, now);
    return moved({ ...task, error: { name: 'Rejected', message: event.reason || `${event.by} rejected the result` } }, 'failed', event.by, now);
  },
  cancelled: (task, event, now) => moved({ ...task, error: { name: 'Cancelled', message: `cancelled by ${event.by}` } }, 'failed', event.by, now),
  timeout: (task, _event, now) =>
    moved({ ...task, error: { name: 'TimeoutError', message: `not finished within ${task.timeoutMs} ms` } }, 'failed', 'timeout', now),
};

/** True when `phase` comes after the task's phase (failed is reachable from any phase not final). */
export function isForward(from: TaskPhase, to: TaskPhase): boolean {
  if (FINAL_PHASES.has(from)) return false;
  return to === 'failed' || RANK[to] > RANK[from];
}

function fromAssignee(task: TaskRecord, by: string): boolean {
  return task.assignedTo !== null && task.assignedTo === by;
}

/** A validator named by name must be that agent; a role validator is whichever instance the role chose. */
function fromValidator(task: TaskRecord, by: string): boolean {
  const target = task.constraints.validateBy;
  if (target === undefined) return false;
  const parsed = parseTarget(target);
  return parsed.kind !== 'name' || parsed.name === by;
}

function forward(task: TaskRecord, to: TaskPhase, by: string, now: number): TaskRecord | undefined {
  return isForward(task.phase, to) ? moved(task, to, by, now) : undefined;
}

const MAX_HISTORY = 64;

function moved(task: TaskRecord, to: TaskPhase, by: string, now: number): TaskRecord {
  const change: PhaseChange = { phase: to, at: now, by };
  return { ...task, phase: to, updatedAt: now, history: [...task.history, change].slice(-MAX_HISTORY) };
}

function addUsage(cost: TaskRecord['cost'], usage: Usage | undefined): TaskRecord['cost'] {
  if (!usage) return cost;
  const costUsd = cost.costUsd === null && usage.costUsd === null ? null : (cost.costUsd ?? 0) + (usage.costUsd ?? 0);
  return { inputTokens: cost.inputTokens + usage.inputTokens, outputTokens: cost.outputTokens + usage.outputTokens, costUsd };
}
