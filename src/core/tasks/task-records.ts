/**
 * New task records: one made by `tasks.create`, one adopted from an agent's own
 * `task.assigned`, and the `task.assigned` body a task is sent as. Pure but for the id.
 */
import { randomBytes } from 'node:crypto';
import type { RoutedMessage } from '../../shared/domain.js';
import type { TaskAssignedBody, TaskRecord } from '../../shared/tasks.js';
import { TaskCreateInput } from '../../shared/tasks.js';

/** The default timeout of a task, as TaskCreateInput sets it. */
const DEFAULT_TIMEOUT_MS: number = TaskCreateInput.shape.timeoutMs.parse(undefined);
const MAX_TIMEOUT_MS = 604_800_000;

/** A task as `tasks.create` makes it: in init, nobody assigned yet. */
export function newTask(input: TaskCreateInput & { constraints: TaskRecord['constraints']; timeoutMs: number; requestedBy: string }, repo: string, now: number): TaskRecord {
  return {
    id: newTaskId(),
    repo: input.repo ?? repo,
    title: input.title,
    body: input.body,
    constraints: input.constraints,
    timeoutMs: input.timeoutMs,
    requestedBy: input.requestedBy,
    target: input.to,
    assignedTo: null,
    phase: 'init',
    parentId: input.parentId ?? null,
    result: null,
    error: null,
    cost: { inputTokens: 0, outputTokens: 0, costUsd: null },
    createdAt: now,
    updatedAt: now,
    history: [{ phase: 'init', at: now, by: input.requestedBy }],
    messageIds: [],
  };
}

/** A task an agent (a supervisor) handed out with its own `task.assigned`: its host follows it too. */
export function adoptedTask(message: RoutedMessage, body: TaskAssignedBody, now: number): TaskRecord {
  const timeoutMs = body.deadline !== undefined ? Math.max(100, body.deadline - now) : DEFAULT_TIMEOUT_MS;
  return {
    id: body.taskId,
    repo: message.repo,
    title: body.title || body.prompt.slice(0, 256),
    body: body.prompt,
    constraints: {},
    timeoutMs: Math.min(timeoutMs, MAX_TIMEOUT_MS),
    requestedBy: message.from,
    target: message.to,
    assignedTo: message.to,
    phase: 'init',
    parentId: body.parentTaskId ?? null,
    result: null,
    error: null,
    cost: { inputTokens: 0, outputTokens: 0, costUsd: null },
    createdAt: now,
    updatedAt: now,
    history: [{ phase: 'init', at: now, by: message.from }],
    messageIds: [message.id],
  };
}

/** What the assignee reads: the prompt is the body as text (an object as JSON), with the deadline. */
export function assignedBody(task: TaskRecord): TaskAssignedBody {
  const prompt = typeof task.body === 'string' ? task.body : JSON.stringify(task.body);
  return {
    taskId: task.id,
    title: task.title,
    prompt: prompt === '' ? task.title : prompt,
    ...(task.parentId !== null ? { parentTaskId: task.parentId } : {}),
    deadline: task.createdAt + task.timeoutMs,
  };
}

/** Task ids name worktree branches: letters, digits, `_` and `-` only. */
function newTaskId(): string {
  return `t-${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
}
