/**
 * What the documented permissions must still allow, against a real nats-server: the
 * coordinator answers members, a desktop's default agent names work (under its user's
 * prefix), team agents' messages are acked once and answered once, and a refusal the
 * deployment did not intend is shown to the user, not only logged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coordinatorRequest } from '../../../src/core/remote/coordinator-client.js';
import { AgentInfo } from '../../../src/shared/domain.js';
import { AgentManifest } from '../../../src/shared/manifest.js';
import { MESSAGE_STREAM, agentInboxConsumer, subjects } from '../../../src/shared/nats-subjects.js';
import type { RemoteEnv } from '../remote/remote-harness.js';
import { REPO, TOKENS, addLocalAgent, memberInbox, phaseOf, remoteEnv, sendToInbox, stateOf } from '../remote/remote-harness.js';
import { eventually } from '../../helpers/eventually.js';
import { report } from './security-report.js';
import { ECHO_AGENT } from '../../helpers/shipped-agents.js';


let env: RemoteEnv;
beforeEach(async () => {
  env = await remoteEnv();
});
afterEach(async () => {
  await env.dispose();
});

describe('the documented permissions', () => {
  it("let the coordinator answer a member, and a desktop's default agent names register and heartbeat under its prefix", async () => {
    const coordinator = await env.startCoordinator();
    const nc = await env.connect(TOKENS.alice);
    // A member's request: the reply goes to _INBOX_alice..., which only the coordinator's allow_responses lets it publish to.
    const reply = await coordinatorRequest(nc, subjects.register(REPO), { name: 'alice.probe', type: 'workspace', location: 'local', instanceId: 'p-1' }, TOKENS.alice, AgentInfo);
    expect(reply.owner).toBe('alice');

    const core = await env.startCore(TOKENS.alice);
    core.localAgents.install(AgentManifest.parse({ type: 'echo', command: process.execPath, args: [ECHO_AGENT] }));
    await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');
    await core.localAgents.start('echo');
    const registered = await eventually(() => coordinator.store.get(REPO, 'alice.echo')?.info, 15_000, 'echo registered as alice.echo');
    expect(registered).toMatchObject({ owner: 'alice', location: 'local' });
    // Its heartbeats (sy.demo.hb.alice.echo) get through: the record's heartbeat moves on.
    await eventually(() => (coordinator.store.get(REPO, 'alice.echo')?.info.lastHeartbeat ?? 0) > registered.lastHeartbeat, 10_000, 'a heartbeat');
    expect(stateOf(core)).toMatchObject({ phase: 'connected', lastError: null });
    report({ attack: 'legit-member-requests', refused: false, how: `a member's register request was answered; local "echo" registered as "alice.echo" (owner alice) and heartbeated` });
  });

  it("ack a team agent's messages once: one answer per message, nothing redelivered", async () => {
    const coordinator = await env.startCoordinator({}, { team: true });
    await eventually(() => coordinator.store.get(REPO, 'review')?.info.status === 'active', 15_000, 'review running');
    const nc = await env.connect(TOKENS.bob);
    const inbox = await memberInbox(nc, 'bob');
    const sent = await sendToInbox(nc, 'bob.tester', 'review', { change: 'adds a parser with tests' });
    // A forged one beside it: the coordinator drops it, so it gets no answer.
    const forged = await sendToInbox(nc, 'ada.bot', 'review', { change: 'merge me' }, 'text', 'bob');

    const probe = await (await env.connect(TOKENS.coordinator)).jetstreamManager();
    const durable = agentInboxConsumer(REPO, 'review').durable;
    // Both acked: the ack floor reached the last message delivered, nothing waits for redelivery.
    const info = await eventually(async () => {
      const consumer = await probe.consumers.info(MESSAGE_STREAM, durable);
      return consumer.delivered.consumer_seq >= 2 && consumer.num_ack_pending === 0 && consumer.ack_floor.stream_seq === consumer.delivered.stream_seq && consumer;
    }, 15_000, 'both messages acked');
    expect(info.num_redelivered).toBe(0);
    const answers = await eventually(() => inbox.filter((m) => m.kind === 'decision.made').length > 0 && inbox.filter((m) => m.kind === 'decision.made'), 15_000, 'an answer');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.from).toBe('review');
    const rejected = await eventually(() => env.logs.find((line) => line.includes('rejected an inbox message') && line.includes(forged.id)), 10_000, 'the forgery logged');
    expect(rejected).toMatch(/forged sender/);
    report({
      attack: 'legit-team-ack-once',
      refused: false,
      how: `review's consumer: ${info.delivered.consumer_seq} delivered, ack floor at stream seq ${info.ack_floor.stream_seq}, ${info.num_redelivered} redelivered; ${answers.length} answer to ${sent.id}; the forged one (from ada.bot) dropped by the coordinator`,
    });
  });

  it('show the user what the server refused, in the connection state', async () => {
    await env.startCoordinator();
    // Alice's credential has no permissions in repo "other": her desktop says so.
    const core = await env.startCore(TOKENS.alice, { repo: 'other' });
    const state = await eventually(() => (stateOf(core).lastError ?? '').includes('permissions refused') && stateOf(core), 15_000, 'the refusal shown');
    expect(state.phase).toBe('connected');
    expect(state.lastError).toMatch(/other/);
    report({ attack: 'refusal-shown', refused: true, how: `connection state: ${state.lastError}` });
  });

  it('cannot be turned against the team: no coordinator runs with a member named like the team owner', async () => {
    // alice would be the sender token of every team agent: the coordinator will not start.
    await expect(env.startCoordinator({ team: { owner: 'alice' } })).rejects.toThrow(/gives a token to "alice", the team owner/);
    report({ attack: 'member-named-team-owner', refused: true, how: 'the coordinator refuses a tokens file that gives a token to its team.owner' });
  });

  it("reject, with the reason, a message for an agent another desktop of the same NATS user hosts", async () => {
    await env.startCoordinator();
    const first = await env.startCore(TOKENS.alice);
    await first.remote.synced();
    // A local agent registered on the first desktop (as alice.echo on the wire).
    addLocalAgent(first, 'echo');
    const second = await env.startCore(TOKENS.alice);
    await eventually(() => second.registry.get({ repo: REPO, name: 'alice.echo' })?.location === 'remote', 15_000, "the first desktop's echo in the second's mirror");
    // Only the second desktop reads alice's consumer now (the first left without a word).
    await first.close();
    const sent = await sendToInbox(await env.connect(TOKENS.bob), 'bob.tester', 'alice.echo', 'hello', 'text', 'bob');
    const detail = await eventually(async () => {
      const found = await second.call('traces.get', { id: sent.id });
      const hops = found.ok && found.value ? (found.value as { hops: Array<{ event: string; detail: string | null }> }).hops : [];
      return hops.find((hop) => hop.event === 'rejected')?.detail;
    }, 15_000, 'the rejection on the second desktop');
    expect(detail).toMatch(/hosted elsewhere.*share one credential; give each desktop its own/);
    // And it was not forwarded under the second desktop's name.
    expect(second.routing.router.outbox.size()).toBe(0);
  });
});
