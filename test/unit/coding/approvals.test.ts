import { describe, expect, it } from 'vitest';
import { ApprovalRequestedBody } from '../../../src/shared/coding.js';
import { approverFor } from '../../../src/core/coding/approver.js';
import { SessionStore } from '../../../src/core/coding/session-store.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDirsPerTest } from '../../helpers/temp-dir.js';
import { harness } from './fakes.js';

describe('approverFor', () => {
  it.each([
    ['user', undefined, 'user'],
    ['user', 'owner', 'user'],
    ['alice.user', 'owner', 'alice.user'],
    ['alice.workspace', undefined, 'alice.user'],
    ['alice.claude-code.2', 'owner', 'alice.user'],
    ['workspace', 'user', 'user'],
    ['workspace', undefined, 'workspace'],
    ['workspace', '', 'workspace'],
  ])('a request from %s (approver env %s) is decided by %s', (requester, fallback, expected) => {
    expect(approverFor(requester, fallback)).toBe(expected);
  });
});

describe('approvals', () => {
  const temp = tempDirsPerTest('sy-coding-');

  it('asks the approver with a readable request and lets the tool run when granted', async () => {
    const h = harness(temp(), { approvalTimeoutMs: 60_000 }, 1, 'user');
    h.deliver('workspace', 'text', 'write it');
    const turn = await eventually(() => h.engine.turns[0]);
    const decision = turn.ask({ input: { file_path: 'a.txt', content: 'z'.repeat(10_000) } });
    const asked = h.of('approval.requested')[0]!;
    expect(asked.to).toBe('user');
    const body = ApprovalRequestedBody.parse(asked.body);
    expect(body).toMatchObject({ approvalId: 'ap-00000001', taskId: 'task-1', tool: 'Write', summary: 'Write a.txt', cwd: h.workspace, expiresAt: h.clock.now() + 60_000 });
    expect((body.input as { content: string }).content.length).toBeLessThanOrEqual(2_000);
    h.deliver('user', 'approval.granted', { approvalId: 'ap-00000001' });
    await expect(decision).resolves.toEqual({ allow: true });
  });

  it('an unanswered approval is denied at its expiry, saying so', async () => {
    const h = harness(temp(), { approvalTimeoutMs: 30_000 });
    h.deliver('alice', 'text', 'write it');
    const decision = (await eventually(() => h.engine.turns[0])).ask();
    h.clock.advance(29_999);
    h.clock.advance(1);
    await expect(decision).resolves.toEqual({ allow: false, reason: 'no answer within 30 s' });
    h.deliver('alice', 'approval.granted', { approvalId: 'ap-00000001' });
    expect(h.logs.some((l) => /not pending/.test(l))).toBe(true);
  });

  it('ignores an answer from anyone but the approver, and denies with the approver\'s reason', async () => {
    const h = harness(temp());
    h.deliver('alice.workspace', 'text', 'write it');
    const decision = (await eventually(() => h.engine.turns[0])).ask();
    expect(h.of('approval.requested')[0]!.to).toBe('alice.user');
    h.deliver('bob.user', 'approval.granted', { approvalId: 'ap-00000001' });
    h.deliver('alice.workspace', 'approval.granted', { approvalId: 'ap-00000001' });
    expect(h.logs.filter((l) => /only alice.user decides it/.test(l))).toHaveLength(2);
    h.deliver('alice.user', 'approval.denied', { approvalId: 'ap-00000001', reason: 'not that file' });
    await expect(decision).resolves.toEqual({ allow: false, reason: 'not that file' });
  });

  it('a cancel denies what is still pending', async () => {
    const h = harness(temp());
    h.deliver('alice', 'text', { prompt: 'write it', taskId: 'x' });
    const decision = (await eventually(() => h.engine.turns[0])).ask();
    h.deliver('alice', 'task.cancel', { taskId: 'x' });
    await expect(decision).resolves.toMatchObject({ allow: false });
  });

  it('"always" allows that tool from then on without asking, and survives a restart', async () => {
    const dir = temp();
    const h = harness(dir, {}, 2);
    h.deliver('alice', 'text', 'one');
    const turn = await eventually(() => h.engine.turns[0]);
    const first = turn.ask();
    h.deliver('alice', 'approval.granted', { approvalId: 'ap-00000001', always: true });
    await expect(first).resolves.toEqual({ allow: true, always: true });
    await expect(turn.ask()).resolves.toEqual({ allow: true });
    const other = turn.ask({ tool: 'Bash', summary: 'Bash: rm -rf build' });
    expect(h.of('approval.requested').map((m) => (m.body as { tool: string }).tool)).toEqual(['Write', 'Bash']);
    h.deliver('alice', 'approval.denied', { approvalId: 'ap-00000002' });
    await expect(other).resolves.toMatchObject({ allow: false });

    expect(SessionStore.open(`${dir}/state`).isAlwaysAllowed('Write')).toBe(true);
    const restarted = harness(dir);
    restarted.deliver('alice', 'text', 'two');
    await expect((await eventually(() => restarted.engine.turns[0])).ask()).resolves.toEqual({ allow: true });
    expect(restarted.of('approval.requested')).toEqual([]);
  });

  it('never asks about allowedTools, never allows disallowedTools', async () => {
    const h = harness(temp(), { allowedTools: ['Read'], disallowedTools: ['Bash'] });
    h.deliver('alice', 'text', 'go');
    const turn = await eventually(() => h.engine.turns[0]);
    await expect(turn.ask({ tool: 'Read' })).resolves.toEqual({ allow: true });
    await expect(turn.ask({ tool: 'Bash' })).resolves.toMatchObject({ allow: false, reason: expect.stringMatching(/disallowed/) });
    expect(h.of('approval.requested')).toEqual([]);
  });
});
