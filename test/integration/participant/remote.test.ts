import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import type { ApprovalView, ConversationEntry, UsageSummary } from '../../../src/shared/coding-contract.js';
import type { RemoteEnv } from '../remote/remote-harness.js';
import { REPO, TOKENS, phaseOf, remoteEnv } from '../remote/remote-harness.js';
import { eventually } from '../../helpers/eventually.js';
import { call, installAsker, record } from './participant-harness.js';

async function conversation(core: Core, peer: string): Promise<ConversationEntry[]> {
  return call<ConversationEntry[]>(core, 'conversation.get', { peer });
}

describe('the person across NATS', () => {
  let env: RemoteEnv;
  beforeEach(async () => {
    env = await remoteEnv();
  });
  afterEach(async () => {
    await env.dispose();
  });

  it("gets an approval request from an agent on another member's desktop, answers it, and that agent receives the answer", async () => {
    await env.startCoordinator();
    const alice = await env.startCore(TOKENS.alice);
    const bob = await env.startCore(TOKENS.bob);
    for (const core of [alice, bob]) await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');
    installAsker(bob);
    await bob.localAgents.start('asker', 'asker');
    // Alice's person is mirrored to the team as alice.user, a user-owned person on her desktop.
    const aliceUser = await eventually(() => bob.registry.get({ repo: REPO, name: 'alice.user' }), 15_000, 'alice.user in bob mirror');
    expect(aliceUser).toMatchObject({ type: 'person', ownership: 'user', owner: 'alice', location: 'remote' });
    await eventually(() => alice.registry.get({ repo: REPO, name: 'bob.asker' }), 15_000, 'bob.asker in alice mirror');
    const aliceChanges = record(alice, 'approvals.changed');

    // Bob tells his agent to ask alice; the agent reports the answer to bob.
    await call(bob, 'messages.send', { to: 'asker', body: { ask: { approvalId: 'approval-remote-1', tool: 'Edit', to: 'alice.user', reportTo: 'user' } } });
    const asked = await eventually(() => aliceChanges[0], 20_000, 'the approval on alice desktop');
    expect(asked).toMatchObject({ pending: 1, changed: [{ approvalId: 'approval-remote-1', from: 'bob.asker', repo: REPO, tool: 'Edit', state: 'pending' }] });
    expect((await conversation(alice, 'bob.asker')).map((e) => `${e.direction} ${e.kind}`)).toEqual(['in approval.requested']);

    const answered = await call<ApprovalView>(alice, 'approvals.answer', { approvalId: 'approval-remote-1', allow: true, always: true });
    expect(answered.state).toBe('granted');
    // Bob's agent received approval.granted from alice.user, and told bob.
    const report = await eventually(async () => (await conversation(bob, 'asker')).find((e) => e.direction === 'in'), 20_000, 'the report on bob desktop');
    expect(report.body).toEqual({ gotAnswer: { kind: 'approval.granted', body: { approvalId: 'approval-remote-1', always: true }, from: 'alice.user' } });
    expect((await conversation(alice, 'bob.asker')).map((e) => `${e.direction} ${e.kind}`)).toEqual(['in approval.requested', 'out approval.granted']);
    // The answer crossed NATS, traced on alice's side, and bob's desktop's receipt says it was delivered.
    type Page = { items: Array<{ kind: string; status: string; route: { routedVia: string } | null }> };
    const granted = await eventually(async () => {
      const page = await call<Page>(alice, 'traces.query', { agent: 'bob.asker' });
      return page.items.find((i) => i.kind === 'approval.granted' && i.status === 'delivered');
    }, 20_000, 'the answer delivered on bob desktop, in alice trace');
    expect(granted.route).toMatchObject({ routedVia: 'nats' });
  }, 90_000);

  it("counts a remote agent's finished task on the desktop it reported to", async () => {
    await env.startCoordinator();
    const alice = await env.startCore(TOKENS.alice);
    const bob = await env.startCore(TOKENS.bob);
    for (const core of [alice, bob]) await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');
    installAsker(bob);
    await bob.localAgents.start('asker', 'asker');
    await eventually(() => bob.registry.get({ repo: REPO, name: 'alice.user' }), 15_000, 'alice.user in bob mirror');
    await eventually(() => alice.registry.get({ repo: REPO, name: 'bob.asker' }), 15_000, 'bob.asker in alice mirror');
    const changes = record(alice, 'usage.changed');
    await call(alice, 'messages.send', { to: 'bob.asker', body: { finish: { taskId: 'task-r1', usage: { inputTokens: 5, outputTokens: 7, costUsd: 0.5 }, durationMs: 90 } } });
    const changed = await eventually(() => changes[0], 20_000, 'usage.changed on alice desktop');
    expect(changed).toMatchObject({ agent: 'bob.asker', repo: REPO, totals: { tasks: 1, inputTokens: 5, outputTokens: 7, costUsd: 0.5, durationMs: 90 } });
    // Bob's desktop counted its own agent's report too (a local agent's send), under its local name.
    await eventually(async () => (await call<UsageSummary>(bob, 'usage.summary', { agent: 'asker' })).totals.tasks === 1, 10_000, 'bob counted it');
  }, 90_000);
});
