import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationAppended, ConversationEntry } from '../../../src/shared/coding-contract.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
import type { SendResult } from '../../../src/shared/routing-contract.js';
import type { TestCore } from '../agents/helpers.js';
import { startCore } from '../agents/helpers.js';
import { eventually } from '../../helpers/eventually.js';
import { call, installAsker, record } from './participant-harness.js';

describe('the person at the desktop as a participant', () => {
  let t: TestCore | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('is a registered, user-owned local endpoint that the supervisor cannot take', async () => {
    t = await startCore({ gateway: false });
    const user = await call<AgentInfo | null>(t.core, 'agents.get', { repo: 'default', name: 'user' });
    expect(user).toMatchObject({ name: 'user', type: 'person', ownership: 'user', location: 'local', status: 'active', endpoint: 'in-process' });
    // Starting an agent of a type named like the person gets another name.
    t.manifest({ type: 'user', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] });
    const other = await t.core.localAgents.start('user');
    expect(other.name).not.toBe('user');
    await t.core.localAgents.stop(other.name);
  });

  it("keeps what the person says to the echo agent and the echo's answer, oldest first, and announces them", async () => {
    t = await startCore({ gateway: false });
    const appended = record(t.core, 'conversation.appended');
    await t.core.localAgents.start('echo');
    const sent = await call<SendResult>(t.core, 'messages.send', { to: 'echo', body: { taskId: 'task-7', prompt: 'hi there' } });
    expect(sent.status).toBe('delivered');

    const entries = await eventually(async () => {
      const list = await call<ConversationEntry[]>(t!.core, 'conversation.get', { peer: 'echo' });
      return list.length === 2 && list;
    }, 10_000, 'the echo answer in the conversation');
    expect(entries).toMatchObject([
      { messageId: sent.messageId, direction: 'out', peer: 'echo', repo: 'default', kind: 'text', body: { taskId: 'task-7', prompt: 'hi there' }, taskId: 'task-7' },
      { direction: 'in', peer: 'echo', kind: 'text', body: { echo: { taskId: 'task-7', prompt: 'hi there' }, inReplyTo: sent.messageId }, taskId: null },
    ]);
    // The reply reached the person: no unknown-destination, a delivered trace.
    const trace = await call<{ items: Array<{ to: string; status: string }> }>(t.core, 'traces.query', { agent: 'user' });
    expect(trace.items.filter((i) => i.to === 'user').map((i) => i.status)).toEqual(['delivered']);
    await eventually(() => appended.flatMap((a: ConversationAppended) => a.entries).length === 2, 5_000, 'two appended entries');
    expect(appended.flatMap((a) => a.entries.map((e) => e.direction))).toEqual(['out', 'in']);

    // Only the last `limit` entries, still oldest first.
    expect((await call<ConversationEntry[]>(t.core, 'conversation.get', { peer: 'echo', limit: 1 })).map((e) => e.direction)).toEqual(['in']);
    expect(await call<ConversationEntry[]>(t.core, 'conversation.get', { peer: 'nobody' })).toEqual([]);
  });

  it('keeps the conversation across a restart of the core', async () => {
    t = await startCore({ gateway: false });
    await t.core.localAgents.start('echo');
    await call(t.core, 'messages.send', { to: 'echo', body: 'remember me' });
    await eventually(async () => (await call<ConversationEntry[]>(t!.core, 'conversation.get', { peer: 'echo' })).length === 2, 10_000, 'answer');
    const dataDir = t.dataDir;
    await t.core.close();
    const { createCore } = await import('../../../src/core/core.js');
    const again = await createCore({ dataDir, agents: { gateway: false } });
    try {
      expect((await call<ConversationEntry[]>(again, 'conversation.get', { peer: 'echo' })).map((e) => e.body)).toEqual(['remember me', { echo: 'remember me', inReplyTo: expect.any(String) }]);
      expect(await call<AgentInfo | null>(again, 'agents.get', { repo: 'default', name: 'user' })).toMatchObject({ status: 'active' });
    } finally {
      await again.close();
    }
  });

  it('keeps a bad approval request as it came, and makes no approval of it', async () => {
    t = await startCore({ gateway: false });
    installAsker(t.core);
    await t.core.localAgents.start('asker');
    const changed = record(t.core, 'approvals.changed');
    await call(t.core, 'messages.send', { to: 'asker', body: { askBad: true } });
    const entries = await eventually(async () => {
      const list = await call<ConversationEntry[]>(t!.core, 'conversation.get', { peer: 'asker' });
      return list.length === 2 && list;
    }, 10_000, 'the bad request in the conversation');
    expect(entries[1]).toMatchObject({ direction: 'in', kind: 'approval.requested', body: { approvalId: 'x', nope: true }, taskId: null });
    expect(await call(t.core, 'approvals.list', {})).toEqual([]);
    expect(changed).toEqual([]);
  });

  it('moves to the new repo when the hybrid config changes', async () => {
    t = await startCore({ gateway: false });
    await call(t.core, 'config.set', {
      config: { enabled: false, coordinationUrl: '', repo: 'other', localAgentTypes: [], remoteAgentTypes: [], fallbackToLocal: false },
    });
    expect(await call<AgentInfo | null>(t.core, 'agents.get', { repo: 'other', name: 'user' })).toMatchObject({ type: 'person', status: 'active' });
    expect(await call<AgentInfo | null>(t.core, 'agents.get', { repo: 'default', name: 'user' })).toBeNull();
  });
});
