/**
 * Receipts across machines, with the documented permissions: the sender's trace follows
 * a message to a team agent on the coordinator and to another desktop, including a
 * rejection with its reason, and a receipt from anyone but the recipient's side changes
 * nothing. (desktop→desktop with an answer: test/integration/router/cores.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import { coordinatorRequest } from '../../../src/core/remote/coordinator-client.js';
import { AgentInfo } from '../../../src/shared/domain.js';
import { subjects } from '../../../src/shared/nats-subjects.js';
import type { TraceDetail, TracePage } from '../../../src/shared/routing-contract.js';
import type { RemoteEnv } from './remote-harness.js';
import { REPO, TOKENS, addLocalAgent, phaseOf, remoteEnv } from './remote-harness.js';
import { eventually } from '../../helpers/eventually.js';
import { refusalOf } from '../security/security-report.js';

const encoder = new TextEncoder();

let env: RemoteEnv;
beforeEach(async () => {
  env = await remoteEnv();
});
afterEach(async () => {
  await env.dispose();
});

async function traceOf(core: Core, id: string): Promise<TraceDetail> {
  const detail = await core.call('traces.get', { id });
  if (!detail.ok || !detail.value) throw new Error(`no trace ${id}`);
  return detail.value as TraceDetail;
}

const path = (detail: TraceDetail) => detail.hops.map((h) => `${h.where}:${h.event}`);

async function send(core: Core, input: Record<string, unknown>): Promise<{ messageId: string; status: string }> {
  const sent = await core.call('messages.send', input);
  if (!sent.ok) throw new Error(sent.error.message);
  return sent.value as { messageId: string; status: string };
}

describe('receipts', () => {
  it("follow a message from a desktop to a team agent on the coordinator and to its answer, with each hop's time", async () => {
    await env.startCoordinator({}, { team: true });
    const alice = await env.startCore(TOKENS.alice);
    await eventually(() => phaseOf(alice) === 'connected', 15_000, 'link up');
    addLocalAgent(alice, 'ws');
    await eventually(() => alice.registry.get({ repo: REPO, name: 'review' })?.status === 'active', 15_000, 'review running');

    const sent = await send(alice, { from: 'ws', to: 'review', body: { change: 'adds a parser with tests' }, kind: 'decision.request' });
    expect(sent.status).toBe('published');
    const done = await eventually(async () => {
      const detail = await traceOf(alice, sent.messageId);
      return detail.summary.status === 'answered' && detail;
    }, 20_000, 'the request answered');
    expect(path(done)).toEqual(['router:accepted', 'nats:published', 'coordinator:received', 'remote-agent:delivered', 'remote-agent:answered']);
    const [, published, received, delivered, answered] = done.hops;
    expect(received!.detail).toMatch(/^received by the coordinator; remote time \d\d:\d\d:\d\d\.\d{3}Z on the coordinator's clock \(\d+ ms crossing, both ways; offset -?\d+ ms\)$/);
    expect(delivered!.detail).toMatch(/^delivered to review; .*ms after the previous remote hop/);
    // The answer it names is the decision that reached alice's ws.
    const answerId = /review answered with (\S+);/.exec(answered!.detail)?.[1];
    const answer = await eventually(async () => (await alice.call('traces.query', { agent: 'ws' })).ok && (await traceOf(alice, answerId!)), 15_000, 'the answer traced here');
    expect(answer.summary).toMatchObject({ from: 'review', to: 'ws', kind: 'decision.made' });
    // One clock: each hop at or after the one before, the answer sent before it arrived.
    for (let i = 1; i < done.hops.length; i++) expect(done.hops[i]!.at).toBeGreaterThanOrEqual(done.hops[i - 1]!.at);
    expect(published!.at).toBeGreaterThanOrEqual(done.hops[0]!.at);
    expect(answered!.at).toBeLessThanOrEqual(answer.summary.createdAt);
  }, 60_000);

  it('show a rejection on the other desktop with its reason', async () => {
    await env.startCoordinator();
    const alice = await env.startCore(TOKENS.alice);
    const bob = await env.startCore(TOKENS.bob);
    for (const core of [alice, bob]) await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');
    addLocalAgent(alice, 'ws');
    // Registered on bob's desktop, but no process takes its messages: they wait there until their TTL.
    addLocalAgent(bob, 'sink');
    await eventually(() => alice.registry.get({ repo: REPO, name: 'bob.sink' })?.status === 'active', 15_000, 'bob.sink in alice mirror');

    const sent = await send(alice, { from: 'ws', to: 'bob.sink', body: 'anyone?', ttlMs: 300 });
    expect(sent.status).toBe('published');
    const done = await eventually(async () => {
      const detail = await traceOf(alice, sent.messageId);
      return detail.summary.status === 'rejected' && detail;
    }, 20_000, 'the rejection reported');
    expect(path(done)).toEqual(['router:accepted', 'nats:published', 'desktop:received', 'desktop:rejected']);
    expect(done.hops[3]!.detail).toMatch(/^rejected by bob's desktop: expired: /);
  }, 60_000);

  it("change nothing when anyone but the recipient's side reports, or the report is malformed", async () => {
    await env.startCoordinator();
    const alice = await env.startCore(TOKENS.alice);
    await eventually(() => phaseOf(alice) === 'connected', 15_000, 'link up');
    addLocalAgent(alice, 'ws');
    // Bob's agent, registered without a desktop: nothing reads its inbox, so no genuine receipt comes.
    const bob = await env.connect(TOKENS.bob);
    await coordinatorRequest(bob, subjects.register(REPO), { name: 'bob.sink', type: 'workspace', location: 'local', instanceId: 'sink-1' }, TOKENS.bob, AgentInfo);
    await eventually(() => alice.registry.get({ repo: REPO, name: 'bob.sink' }), 15_000, 'bob.sink in alice mirror');
    const sent = await send(alice, { from: 'ws', to: 'bob.sink', body: 'hello' });
    expect(sent.status).toBe('published');
    const forged = (event: string, extra: Record<string, unknown> = {}) =>
      encoder.encode(JSON.stringify({ v: 1, host: 'desktop', sentAt: Date.now(), receipts: [{ messageId: sent.messageId, event, at: Date.now(), ...extra }] }));

    // Ada (another member) reports under her own name: allowed on the wire, refused by alice.
    const ada = await env.connect(TOKENS.admin);
    ada.publish(subjects.receipts(REPO, 'alice', 'ada'), forged('rejected', { detail: 'forged by ada' }));
    ada.publish(subjects.receipts(REPO, 'alice', 'ada'), encoder.encode('{"v":1,"receipts":"not a list"}'));
    // Bob may not report under another name, nor read alice's receipts: the server refuses both.
    const asTeam = subjects.receipts(REPO, 'alice', 'team');
    expect(await refusalOf(bob, asTeam, async () => bob.publish(asTeam, forged('answered')))).toMatch(/Permissions Violation for publish/i);
    const aliceReceipts = subjects.receiptsFor(REPO, 'alice');
    expect(await refusalOf(bob, aliceReceipts, async () => bob.subscribe(aliceReceipts).closed)).toMatch(/Permissions Violation for subscription/i);
    const stats = () => alice.routing.router.receiptStats()!;
    await eventually(() => stats().refused >= 1 && stats().malformed >= 1, 10_000, 'the forgeries read and refused');
    const untouched = await traceOf(alice, sent.messageId);
    expect(path(untouched)).toEqual(['router:accepted', 'nats:published']);
    expect(untouched.summary.status).toBe('published');
    expect(stats()).toMatchObject({ applied: 0 });

    // The recipient's side is believed: bob reporting on bob.sink.
    bob.publish(subjects.receipts(REPO, 'alice', 'bob'), forged('received'));
    const after = await eventually(async () => {
      const detail = await traceOf(alice, sent.messageId);
      return detail.summary.status === 'received' && detail;
    }, 10_000, "bob's receipt written");
    expect(path(after)).toEqual(['router:accepted', 'nats:published', 'desktop:received']);
    const page = await alice.call('traces.query', { status: 'rejected' });
    expect(page.ok && (page.value as TracePage).items).toEqual([]);
  }, 60_000);
});
