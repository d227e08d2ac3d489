import { describe, expect, it } from 'vitest';
import { taskIdOf, usageRecordOf } from '../../../src/core/participant/message-bodies.js';
import type { RoutedMessage } from '../../../src/shared/domain.js';

const usage = { inputTokens: 4, outputTokens: 2, costUsd: 0.1 };
const completed = { taskId: 'task-1', inReplyTo: 'm0', text: 'ok', changedFiles: ['a.ts'], branch: 'sy/coder/task-1', worktree: '/w', usage, durationMs: 30, turns: 2, sessionId: 's' };

function message(kind: RoutedMessage['kind'], body: unknown): RoutedMessage {
  return {
    id: 'msg-00000001',
    from: 'coder',
    to: 'user',
    repo: 'app',
    body: body as RoutedMessage['body'],
    kind,
    timestamp: 1000,
    traceId: 't',
    route: { sourceLocation: 'local', destLocation: 'local', routedVia: 'local', routedAt: 1000 },
  };
}

describe('reading coding bodies', () => {
  it('finds the task a coding body names, and none in anything else', () => {
    expect(taskIdOf('task.completed', completed)).toBe('task-1');
    expect(taskIdOf('task.progress', { taskId: 'task-2', inReplyTo: 'm', seq: 1, events: [{ type: 'text', text: 'hi' }] })).toBe('task-2');
    expect(taskIdOf('task.failed', { inReplyTo: 'm', reason: 'cli-missing', message: 'no claude' })).toBeNull();
    expect(taskIdOf('task.cancel', { taskId: 'task-3' })).toBe('task-3');
    expect(taskIdOf('text', { prompt: 'go on', taskId: 'task-4' })).toBe('task-4');
    expect(taskIdOf('text', 'a plain prompt')).toBeNull();
    // The right field in the wrong body counts for nothing.
    expect(taskIdOf('task.completed', { taskId: 'task-5' })).toBeNull();
    expect(taskIdOf('help.request', { taskId: 'task-6' })).toBeNull();
    expect(taskIdOf('task.progress', null)).toBeNull();
  });

  it('reads the usage of completed and failed tasks, zeros where a failure reports none', () => {
    expect(usageRecordOf(message('task.completed', completed))).toEqual({
      agent: 'coder', repo: 'app', taskId: 'task-1', messageId: 'msg-00000001', at: 1000, ok: true,
      inputTokens: 4, outputTokens: 2, cachedInputTokens: 0, costUsd: 0.1, durationMs: 30,
    });
    expect(usageRecordOf(message('task.failed', { inReplyTo: 'm', reason: 'timeout', message: 'slow' }))).toMatchObject({
      taskId: '', ok: false, inputTokens: 0, outputTokens: 0, costUsd: null, durationMs: 0,
    });
    expect(usageRecordOf(message('task.completed', { ...completed, usage: undefined }))).toBeUndefined();
    expect(usageRecordOf(message('text', completed))).toBeUndefined();
  });
});
