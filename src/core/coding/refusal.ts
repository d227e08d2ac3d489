/**
 * The inbox of a coding agent that cannot work (no CLI, no workspace, a bad config): it
 * answers every task with `task.failed`, the typed reason and what to do, and otherwise
 * behaves like any agent (heartbeats, idle). Staying up is the point: a process that
 * exited would be restarted into a crash loop and the sender would hear nothing.
 */
import type { TaskFailedBody, TaskFailureReason } from '../../shared/coding.js';
import { TaskId } from '../../shared/coding.js';
import type { MessageKind, RoutedMessage } from '../../shared/domain.js';

export function refusingInbox(
  failure: { reason: TaskFailureReason; message: string },
  send: (to: string, body: TaskFailedBody, kind: MessageKind) => void,
): (message: RoutedMessage) => void {
  return (message) => {
    if (message.kind !== 'text' && message.kind !== 'task.assigned') return;
    const taskId = taskIdOf(message.body);
    send(message.from, { ...(taskId ? { taskId } : {}), inReplyTo: message.id, reason: failure.reason, message: failure.message }, 'task.failed');
  };
}

function taskIdOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('taskId' in body)) return undefined;
  const parsed = TaskId.safeParse((body as { taskId: unknown }).taskId);
  return parsed.success ? parsed.data : undefined;
}
