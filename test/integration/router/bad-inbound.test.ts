/**
 * A malformed message from NATS is traced honestly: a member (alice), publishing under the
 * permissions docs/nats.md documents, sends bob's agent a message with an unknown kind,
 * one with a bad field and one that is not JSON. Bob's desktop, against a real
 * nats-server, records each as rejected under the agent it was addressed to, with the
 * sender, repo and destination it could read and the reason.
 */
import type { NatsConnection } from 'nats.ws';
import { headers as natsHeaders } from 'nats.ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import { newMessageId } from '../../../src/core/router/message-input.js';
import { newTraceId } from '../../../src/core/router/trace-context.js';
import { MESSAGE_STREAM, headers, subjects, userInboxConsumer } from '../../../src/shared/nats-subjects.js';
import type { TraceDetail, TraceSummary } from '../../../src/shared/routing-contract.js';
import type { RemoteEnv } from '../remote/remote-harness.js';
import { eventually } from '../../helpers/eventually.js';
import { REPO, TOKENS, addLocalAgent, phaseOf, remoteEnv } from '../remote/remote-harness.js';

const encoder = new TextEncoder();
let env: RemoteEnv;
let bob: Core;
let alice: NatsConnection;

beforeAll(async () => {
  env = await remoteEnv();
  await env.startCoordinator();
  bob = await env.startCore(TOKENS.bob);
  await eventually(() => phaseOf(bob) === 'connected', 15_000, 'bob connected');
  // Registered locally as `helper`; on the wire it is `bob.helper`.
  addLocalAgent(bob, 'helper');
  const admin = await env.connect(TOKENS.coordinator);
  await eventually(async () => (await admin.jetstreamManager()).consumers.info(MESSAGE_STREAM, userInboxConsumer(REPO, 'bob').durable), 15_000, "bob's inbox consumer");
  alice = await env.connect(TOKENS.alice);
}, 60_000);
afterAll(async () => env?.dispose());

/** A well-formed message from alice's agent to bob's, before something is broken in it. */
function message() {
  const now = Date.now();
  return {
    id: newMessageId(now),
    from: 'alice.friend',
    to: 'bob.helper',
    repo: REPO,
    body: 'hello',
    kind: 'text',
    timestamp: now,
    route: { sourceLocation: 'local', destLocation: 'remote', routedVia: 'nats', routedAt: now },
    traceId: newTraceId(),
  } as const;
}

/** Publishes raw bytes to bob.helper's inbox under alice's own sender token, as her permissions require. */
async function publish(data: string, msgId?: string): Promise<void> {
  const h = natsHeaders();
  if (msgId) h.set(headers.msgId, msgId);
  await alice.jetstream().publish(subjects.inbox(REPO, 'alice', 'bob.helper'), encoder.encode(data), { headers: h });
}

async function rejectedTrace(match: (t: TraceSummary) => boolean, what: string): Promise<TraceDetail> {
  const summary = await eventually(async () => {
    const page = await bob.call('traces.query', { agent: 'helper' });
    return page.ok ? (page.value as { items: TraceSummary[] }).items.find(match) : undefined;
  }, 10_000, what);
  const detail = await bob.call('traces.get', { id: summary.messageId });
  if (!detail.ok || !detail.value) throw new Error(`no detail for ${summary.messageId}`);
  return detail.value as TraceDetail;
}

describe('a malformed message from NATS', () => {
  it('with an unknown kind is traced with its real sender, repo, destination and the reason', async () => {
    const sent = { ...message(), kind: 'task.exploded' };
    await publish(JSON.stringify(sent));
    const trace = await rejectedTrace((t) => t.messageId === sent.id, 'the unknown-kind trace');
    expect(trace.summary).toMatchObject({ messageId: sent.id, traceId: sent.traceId, from: 'alice.friend', to: 'helper', repo: REPO, kind: '?', status: 'rejected' });
    expect(trace.hops).toHaveLength(1);
    expect(trace.hops[0]).toMatchObject({ where: 'nats', event: 'rejected' });
    expect(trace.hops[0]!.detail).toContain('published by NATS user "alice"');
    expect(trace.hops[0]!.detail).toMatch(/kind/);
  });

  it('with a bad field keeps the fields that were well formed and names the bad one', async () => {
    const sent = { ...message(), from: 'alice friend!', timestamp: -5 };
    await publish(JSON.stringify(sent));
    const trace = await rejectedTrace((t) => t.messageId === sent.id, 'the bad-field trace');
    // `from` is not an agent name: it is not shown as if it were one.
    expect(trace.summary).toMatchObject({ from: '?', to: 'helper', repo: REPO, kind: 'text', status: 'rejected' });
    expect(trace.hops[0]!.detail).toMatch(/from/);
    expect(trace.hops[0]!.detail).toMatch(/timestamp/);
  });

  it('that is not JSON is still traced under the inbox it arrived in', async () => {
    const id = newMessageId(Date.now());
    await publish('{"id": "unterminated', id);
    const trace = await rejectedTrace((t) => t.messageId === id, 'the non-JSON trace');
    expect(trace.summary).toMatchObject({ from: '?', to: 'helper', repo: REPO, kind: '?', status: 'rejected' });
    expect(trace.hops[0]!.detail).toContain('published by NATS user "alice"');
  });

  it("that claims a genuine message's id gets a trace of its own and leaves that message's trace alone", async () => {
    const genuine = message();
    await publish(JSON.stringify(genuine), genuine.id);
    // helper is registered but runs no process here: the genuine message is held for it.
    const held = await rejectedTrace((t) => t.messageId === genuine.id && t.status === 'queued', 'the genuine message held');
    // The same Nats-Msg-Id would be dropped by the stream's duplicate window: the claim is
    // the genuine id in the body of a bad payload published without one.
    await publish(JSON.stringify({ ...genuine, kind: 'task.exploded' }));
    const claim = await rejectedTrace((t) => t.status === 'rejected' && t.traceId === genuine.traceId && t.messageId !== genuine.id, 'the claim traced on its own');
    expect(claim.hops[0]!.detail).toContain(`claimed the id`);
    const after = await bob.call('traces.get', { id: genuine.id });
    if (!after.ok || !after.value) throw new Error('the genuine trace is gone');
    const detail = after.value as TraceDetail;
    expect(detail.summary.status).toBe('queued');
    expect(detail.hops.map((hop) => hop.event)).toEqual(held.hops.map((hop) => hop.event));
  });
});
