/**
 * Fixtures for the coding-agent views: conversation entries with bodies written as a
 * coding agent writes them (checked against the shared schemas, so a fixture cannot
 * drift from the contract), approvals and usage totals.
 */
import type { ApprovalView, ConversationEntry, UsageTotals } from '../../../src/shared/coding-contract.js';
import type { TaskCompletedBody, TaskFailedBody, TranscriptEvent } from '../../../src/shared/coding.js';
import { TaskCompletedBody as TaskCompletedSchema, TaskFailedBody as TaskFailedSchema } from '../../../src/shared/coding.js';
import type { MessageKind } from '../../../src/shared/domain.js';

let seq = 0;

/** One entry; ids and times increase in the order entries are made. */
export function entry(kind: MessageKind, body: unknown, overrides: Partial<ConversationEntry> = {}): ConversationEntry {
  seq += 1;
  return {
    messageId: `msg-${String(seq).padStart(6, '0')}`,
    at: 1_700_000_000_000 + seq,
    direction: kind === 'task.assigned' || kind === 'task.cancel' ? 'out' : 'in',
    peer: 'coder',
    repo: 'demo',
    kind,
    body: body as ConversationEntry['body'],
    taskId: typeof body === 'object' && body !== null && 'taskId' in body ? String((body as { taskId: unknown }).taskId) : null,
    ...overrides,
  };
}

export const started = (taskId: string): ConversationEntry =>
  entry('task.started', { taskId, inReplyTo: 'msg-000000', cwd: '/repo', branch: `sy/coder/${taskId}`, resumed: false });

export const progress = (taskId: string, seqNo: number, events: TranscriptEvent[]): ConversationEntry =>
  entry('task.progress', { taskId, inReplyTo: 'msg-000000', seq: seqNo, events });

export function completed(taskId: string, overrides: Partial<TaskCompletedBody> = {}): ConversationEntry {
  const body = TaskCompletedSchema.parse({
    taskId,
    inReplyTo: 'msg-000000',
    text: 'Wrote hello.txt.',
    changedFiles: ['hello.txt'],
    branch: `sy/coder/${taskId}`,
    worktree: '/repo/.worktrees/x',
    usage: { inputTokens: 1200, outputTokens: 340, cachedInputTokens: 0, costUsd: 0.0123 },
    durationMs: 4200,
    turns: 2,
    sessionId: 'sess-1',
    ...overrides,
  });
  return entry('task.completed', body);
}

export function failed(overrides: Partial<TaskFailedBody> & Pick<TaskFailedBody, 'reason'>): ConversationEntry {
  return entry('task.failed', TaskFailedSchema.parse({ taskId: 't1', inReplyTo: 'msg-000000', message: 'claude: command not found', ...overrides }));
}

export function approval(overrides: Partial<ApprovalView> = {}): ApprovalView {
  return {
    approvalId: 'appr-0001',
    from: 'coder',
    repo: 'demo',
    messageId: 'msg-appr-0001',
    taskId: 't1',
    tool: 'Write',
    summary: 'Write hello.txt',
    input: { file_path: 'hello.txt', content: 'hi' },
    cwd: '/repo',
    requestedAt: Date.now() - 1_000,
    expiresAt: Date.now() + 120_000,
    state: 'pending',
    answeredAt: null,
    ...overrides,
  };
}

export function totals(overrides: Partial<UsageTotals> = {}): UsageTotals {
  return { tasks: 1, failedTasks: 0, inputTokens: 1200, outputTokens: 340, cachedInputTokens: 0, costUsd: 0.0123, durationMs: 4200, ...overrides };
}
