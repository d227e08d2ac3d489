import { describe, expect, it } from 'vitest';
import { readAssignedBody, readTaskMessage } from '../../../src/core/tasks/task-messages.js';
import type { RoutedMessage } from '../../../src/shared/domain.js';

const msg = (kind: RoutedMessage['kind'], body: unknown, from = 'worker-1'): Pick<RoutedMessage, 'kind' | 'from' | 'to' | 'body'> => ({
  kind,
  from,
  to: 'user',
  body: body as RoutedMessage['body'],
});

describe('reading task messages', () => {
  it('reads the task and the event from each kind that moves a task', () => {
    expect(readTaskMessage(msg('task.started', { taskId: 't-1', inReplyTo: 'm' }))).toEqual({ taskId: 't-1', event: { type: 'started', by: 'worker-1' } });
    expect(readTaskMessage(msg('task.progress', { taskId: 't-1', seq: 1 }))?.event.type).toBe('progress');
    const usage = { inputTokens: 3, outputTokens: 4, costUsd: 0.5 };
    expect(readTaskMessage(msg('task.completed', { taskId: 't-1', text: 'ok', usage }))).toEqual({
      taskId: 't-1',
      event: { type: 'completed', by: 'worker-1', result: { taskId: 't-1', text: 'ok', usage }, usage: { ...usage, cachedInputTokens: 0 } },
    });
    // A coding agent's failure (reason + message) and a scripted one's (reason only).
    expect(readTaskMessage(msg('task.failed', { taskId: 't-1', reason: 'timeout', message: 'took too long' }))?.event).toMatchObject({ error: { name: 'TaskFailed', message: 'timeout: took too long' } });
    expect(readTaskMessage(msg('task.failed', { taskId: 't-1', reason: 'exit code 3' }))?.event).toMatchObject({ error: { name: 'TaskFailed', message: 'exit code 3' } });
    expect(readTaskMessage(msg('decision.made', { taskId: 't-1', approved: false, reason: 'no' }, 'judge'))?.event).toEqual({ type: 'decision', by: 'judge', approved: false, reason: 'no' });
  });

  it('ignores messages about no task, bad task ids, bad usage and kinds that move nothing', () => {
    expect(readTaskMessage(msg('task.started', 'a string'))).toBeUndefined();
    expect(readTaskMessage(msg('task.started', { task: 'lint' }))).toBeUndefined();
    expect(readTaskMessage(msg('task.started', { taskId: 'has spaces' }))).toBeUndefined();
    expect(readTaskMessage(msg('text', { taskId: 't-1' }))).toBeUndefined();
    expect(readTaskMessage(msg('task.cancel', { taskId: 't-1' }))).toBeUndefined();
    expect(readTaskMessage(msg('decision.made', { taskId: 't-1', verdict: 'approve' }))).toBeUndefined();
    expect(readTaskMessage(msg('task.completed', { taskId: 't-1', usage: { inputTokens: -1 } }))?.event).not.toHaveProperty('usage');
  });

  it('reads a task.assigned that creates a task only when its body is a TaskAssignedBody', () => {
    expect(readAssignedBody(msg('task.assigned', { taskId: 't-2', title: 'x', prompt: 'do x' }))).toEqual({ taskId: 't-2', title: 'x', prompt: 'do x' });
    expect(readAssignedBody(msg('task.assigned', { task: 'do x' }))).toBeUndefined();
    expect(readAssignedBody(msg('text', { taskId: 't-2', title: 'x', prompt: 'do x' }))).toBeUndefined();
  });
});
