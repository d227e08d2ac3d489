/**
 * Reading coding agents' message bodies (src/shared/coding.ts) for the person's records:
 * which task a message belongs to, and what a finished task cost. Pure: bodies that do
 * not parse give nothing, and the message is kept as it is by whoever asked.
 */
import type { z } from 'zod';
import type { MessageKind, RoutedMessage } from '../../shared/domain.js';
import {
  ApprovalRequestedBody,
  CodingTaskRequest,
  TaskCancelBody,
  TaskCompletedBody,
  TaskFailedBody,
  TaskProgressBody,
  TaskStartedBody,
} from '../../shared/coding.js';

/** The coding body each kind carries, where it names a task. */
const TASK_BODIES: Partial<Record<MessageKind, z.ZodType<{ taskId?: string } | string>>> = {
  'task.started': TaskStartedBody,
  'task.progress': TaskProgressBody,
  'task.completed': TaskCompletedBody,
  'task.failed': TaskFailedBody,
  'task.cancel': TaskCancelBody,
  'approval.requested': ApprovalRequestedBody,
  text: CodingTaskRequest,
  'task.assigned': CodingTaskRequest,
};

/** The task a message names in its body, by its kind's coding body; null when it names none. */
export function taskIdOf(kind: MessageKind, body: unknown): string | null {
  const parsed = TASK_BODIES[kind]?.safeParse(body).data;
  return typeof parsed === 'object' && parsed.taskId !== undefined ? parsed.taskId : null;
}

/** One finished task as the usage table counts it. */
export interface TaskUsageRecord {
  agent: string;
  repo: string;
  /** Empty when a failure came before the task had an id. */
  taskId: string;
  messageId: string;
  at: number;
  ok: boolean;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costUsd: number | null;
  durationMs: number;
}

/** The usage a `task.completed` / `task.failed` message reports; undefined for anything else. */
export function usageRecordOf(message: RoutedMessage): TaskUsageRecord | undefined {
  const base = { agent: message.from, repo: message.repo, messageId: message.id, at: message.timestamp };
  if (message.kind === 'task.completed') {
    const body = TaskCompletedBody.safeParse(message.body).data;
    if (!body) return undefined;
    return { ...base, taskId: body.taskId, ok: true, ...tokensOf(body.usage), durationMs: body.durationMs };
  }
  if (message.kind === 'task.failed') {
    const body = TaskFailedBody.safeParse(message.body).data;
    if (!body) return undefined;
    return { ...base, taskId: body.taskId ?? '', ok: false, ...tokensOf(body.usage), durationMs: 0 };
  }
  return undefined;
}

function tokensOf(usage: TaskCompletedBody['usage'] | undefined): Pick<TaskUsageRecord, 'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'costUsd'> {
  return {
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cachedInputTokens: usage?.cachedInputTokens ?? 0,
    costUsd: usage?.costUsd ?? null,
  };
}
