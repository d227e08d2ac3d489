/**
 * Reads what a routed message says about a task: which task (the body's `taskId`) and
 * which phase event (phase-machine.ts). Pure.
 *
 * Bodies are read leniently on purpose: a scripted agent's `task.completed` carries only
 * `taskId` and its output, a coding agent's the full TaskCompletedBody; both move the
 * task. Usage counts only when it parses as Usage (src/shared/coding.ts).
 */
import type { RoutedMessage } from '../../shared/domain.js';
import { TaskId, Usage } from '../../shared/coding.js';
import type { TaskRecord } from '../../shared/tasks.js';
import { TaskAssignedBody, TaskDecisionBody } from '../../shared/tasks.js';
import type { TaskEvent } from './phase-machine.js';

export interface TaskMessage {
  taskId: string;
  event: TaskEvent;
}

/** The task a message names and what it means for it, or undefined when it is about no task. */
export function readTaskMessage(message: Pick<RoutedMessage, 'kind' | 'from' | 'to' | 'body'>): TaskMessage | undefined {
  const body = message.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const taskId = TaskId.safeParse(body.taskId);
  if (!taskId.success) return undefined;
  const by = message.from;
  const usage = Usage.safeParse(body.usage);
  const spent = usage.success ? { usage: usage.data } : {};
  const read = READERS[message.kind];
  const event = read?.(body, by, spent);
  return event === undefined ? undefined : { taskId: taskId.data, event };
}

type Body = Record<string, unknown>;
type Reader = (body: Body, by: string, spent: { usage?: Usage }) => TaskEvent | undefined;

/** The kinds that move a task, and how each is read; every other kind says nothing about one. */
const READERS: Partial<Record<RoutedMessage['kind'], Reader>> = {
  'task.started': (_body, by) => ({ type: 'started', by }),
  'task.progress': (_body, by) => ({ type: 'progress', by }),
  'task.completed': (body, by, spent) => ({ type: 'completed', by, result: body as TaskRecord['result'], ...spent }),
  'task.failed': (body, by, spent) => ({ type: 'failed', by, error: failureOf(body), ...spent }),
  'decision.made': (body, by) => {
    const decision = TaskDecisionBody.safeParse(body);
    return decision.success ? { type: 'decision', by, approved: decision.data.approved, reason: decision.data.reason } : undefined;
  },
};

/** A `task.assigned` body that creates a task (TaskAssignedBody), or undefined. */
export function readAssignedBody(message: Pick<RoutedMessage, 'kind' | 'body'>): TaskAssignedBody | undefined {
  if (message.kind !== 'task.assigned') return undefined;
  const parsed = TaskAssignedBody.safeParse(message.body);
  return parsed.success ? parsed.data : undefined;
}

/** The task's error from a `task.failed` body: TaskFailedBody's reason and message, or a scripted agent's `reason`. */
function failureOf(body: Body): { name: string; message: string } {
  const reason = typeof body.reason === 'string' ? body.reason : undefined;
  const text = typeof body.message === 'string' ? body.message : (reason ?? 'the agent reported a failure');
  return { name: 'TaskFailed', message: (reason && text !== reason ? `${reason}: ${text}` : text).slice(0, 8192) };
}
