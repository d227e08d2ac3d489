import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalView, ApprovalsChanged, ConversationEntry } from '../../../src/shared/coding-contract.js';
import type { TestCore } from '../agents/helpers.js';
import { startCore } from '../agents/helpers.js';
import { eventually } from '../../helpers/eventually.js';
import { call, installAsker, record } from './participant-harness.js';

/** The conversation with the asker, once it holds `count` entries. */
async function conversationOf(t: TestCore, count: number): Promise<ConversationEntry[]> {
  return eventually(async () => {
    const list = await call<ConversationEntry[]>(t.core, 'conversation.get', { peer: 'asker' });
    return list.length >= count && list;
  }, 10_000, `${count} entries with the asker`);
}

describe('approvals asked of the person', () => {
  let t: TestCore | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('turns an approval request into a pending approval, and an answer reaches the agent that asked', async () => {
    t = await startCore({ gateway: false });
    installAsker(t.core);
    await t.core.localAgents.start('asker');
    const changed = record(t.core, 'approvals.changed');
    await call(t.core, 'messages.send', { to: 'asker', body: { ask: { approvalId: 'approval-0001', tool: 'Write' } } });

    const pending = await eventually(() => changed[0], 10_000, 'approvals.changed');
    expect(pending).toMatchObject({ pending: 1, changed: [{ approvalId: 'approval-0001', from: 'asker', repo: 'default', taskId: 'task-1', tool: 'Write', summary: 'Write notes.md', input: { file_path: 'notes.md' }, state: 'pending', answeredAt: null }] });
    expect((await call<ApprovalView[]>(t.core, 'approvals.list', { state: 'pending' })).map((a) => a.approvalId)).toEqual(['approval-0001']);

    const answered = await call<ApprovalView>(t.core, 'approvals.answer', { approvalId: 'approval-0001', allow: true, always: true });
    expect(answered).toMatchObject({ state: 'granted', answeredAt: expect.any(Number) });
    expect(changed.at(-1)).toMatchObject({ pending: 0, changed: [{ approvalId: 'approval-0001', state: 'granted' }] });

    // The agent got approval.granted with `always`, from the person, and said so.
    const entries = await conversationOf(t, 4);
    expect(entries.map((e) => `${e.direction} ${e.kind}`)).toEqual(['out text', 'in approval.requested', 'out approval.granted', 'in text']);
    expect(entries[1]!.taskId).toBe('task-1');
    // The answer names the approval's task.
    expect(entries[2]).toMatchObject({ body: { approvalId: 'approval-0001', always: true }, taskId: 'task-1' });
    expect(entries[3]!.body).toEqual({ gotAnswer: { kind: 'approval.granted', body: { approvalId: 'approval-0001', always: true }, from: 'user' } });

    // A second answer is refused and sends nothing.
    const again = await t.core.call('approvals.answer', { approvalId: 'approval-0001', allow: false });
    expect(again).toMatchObject({ ok: false, error: { name: 'ApprovalClosed', message: expect.stringContaining('already granted') } });
    const missing = await t.core.call('approvals.answer', { approvalId: 'approval-9999', allow: true });
    expect(missing).toMatchObject({ ok: false, error: { name: 'ApprovalNotFound' } });
    expect((await call<ConversationEntry[]>(t.core, 'conversation.get', { peer: 'asker' })).length).toBe(4);
    expect(await call<ApprovalView[]>(t.core, 'approvals.list', { state: 'pending' })).toEqual([]);
  });

  it('sends a denial with its reason, and never `always`', async () => {
    t = await startCore({ gateway: false });
    installAsker(t.core);
    await t.core.localAgents.start('asker');
    await call(t.core, 'messages.send', { to: 'asker', body: { ask: { approvalId: 'approval-0002', tool: 'Bash' } } });
    await eventually(async () => (await call<ApprovalView[]>(t!.core, 'approvals.list')).length === 1, 10_000, 'the approval');
    await call(t.core, 'approvals.answer', { approvalId: 'approval-0002', allow: false, always: true, reason: 'not on main' });
    const entries = await conversationOf(t, 4);
    expect(entries[3]!.body).toEqual({ gotAnswer: { kind: 'approval.denied', body: { approvalId: 'approval-0002', always: false, reason: 'not on main' }, from: 'user' } });
    expect(await call<ApprovalView[]>(t.core, 'approvals.list', { state: 'denied' })).toMatchObject([{ approvalId: 'approval-0002' }]);
  });

  it('expires an approval left unanswered past its time, and refuses a late answer', async () => {
    t = await startCore({ gateway: false });
    installAsker(t.core);
    await t.core.localAgents.start('asker');
    const changed = record(t.core, 'approvals.changed');
    await call(t.core, 'messages.send', { to: 'asker', body: { ask: { approvalId: 'approval-0003', expiresInMs: 400 } } });
    const expired = await eventually(() => changed.find((c: ApprovalsChanged) => c.changed[0]?.state === 'expired'), 10_000, 'the approval expired');
    expect(expired).toMatchObject({ pending: 0, changed: [{ approvalId: 'approval-0003', answeredAt: null }] });
    expect(changed.map((c) => c.changed[0]!.state)).toEqual(['pending', 'expired']);
    const late = await t.core.call('approvals.answer', { approvalId: 'approval-0003', allow: true });
    expect(late).toMatchObject({ ok: false, error: { name: 'ApprovalClosed', message: expect.stringContaining('expired') } });
    // Nothing went to the agent: the conversation holds the command and the request only.
    expect((await call<ConversationEntry[]>(t.core, 'conversation.get', { peer: 'asker' })).map((e) => e.kind)).toEqual(['text', 'approval.requested']);
  });

  it('keeps a pending approval pending when the agent that asked is gone, and says why', async () => {
    t = await startCore({ gateway: false });
    installAsker(t.core);
    await t.core.localAgents.start('asker');
    await call(t.core, 'messages.send', { to: 'asker', body: { ask: { approvalId: 'approval-0004' } } });
    await eventually(async () => (await call<ApprovalView[]>(t!.core, 'approvals.list')).length === 1, 10_000, 'the approval');
    await t.core.localAgents.stop('asker');
    t.core.registry.deregister({ repo: 'default', name: 'asker' });
    const refused = await t.core.call('approvals.answer', { approvalId: 'approval-0004', allow: true });
    expect(refused).toMatchObject({ ok: false, error: { name: 'NoSuchAgent' } });
    expect(await call<ApprovalView[]>(t.core, 'approvals.list', { state: 'pending' })).toMatchObject([{ approvalId: 'approval-0004' }]);
  });
});
