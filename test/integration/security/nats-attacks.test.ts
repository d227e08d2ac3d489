/**
 * The NATS attacks of issue 12, each tried by a member (alice) against a real
 * nats-server whose users hold exactly the permissions docs/nats.md documents, and each
 * refused. Every test writes its outcome to `.tmp/security-report/` for docs/security.md.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NatsConnection } from 'nats.ws';
import { AckPolicy, DeliverPolicy } from 'nats.ws';
import type { Core } from '../../../src/core/core.js';
import { AgentManifest } from '../../../src/shared/manifest.js';
import { MESSAGE_STREAM, REGISTRY_BUCKET, userInboxConsumer } from '../../../src/shared/nats-subjects.js';
import type { TraceDetail, TracePage } from '../../../src/shared/routing-contract.js';
import type { RemoteEnv } from '../remote/remote-harness.js';
import { REPO, TOKENS, phaseOf, remoteEnv, sendToInbox } from '../remote/remote-harness.js';
import { eventually } from '../../helpers/eventually.js';
import { refusalOf, report } from './security-report.js';
import { ECHO_AGENT } from '../../helpers/shipped-agents.js';

const encoder = new TextEncoder();

let env: RemoteEnv;
let bob: Core;
let alice: NatsConnection;

/** Bob's desktop runs `echo` (bob.echo on the wire), so his inbox consumer exists and holds his messages. */
beforeEach(async () => {
  env = await remoteEnv();
  await env.startCoordinator({}, { team: true });
  bob = await env.startCore(TOKENS.bob);
  bob.localAgents.install(AgentManifest.parse({ type: 'echo', command: process.execPath, args: [ECHO_AGENT] }));
  await eventually(() => phaseOf(bob) === 'connected', 15_000, 'bob connected');
  await bob.localAgents.start('echo', 'echo');
  await eventually(async () => (await (await env.connect(TOKENS.coordinator)).jetstreamManager()).consumers.info(MESSAGE_STREAM, userInboxConsumer(REPO, 'bob').durable), 15_000, "bob's inbox consumer");
  alice = await env.connect(TOKENS.alice);
}, 60_000);
afterEach(async () => {
  await env.dispose();
});

async function traces(core: Core, agent: string): Promise<TracePage['items']> {
  const page = await core.call('traces.query', { agent });
  return page.ok ? (page.value as TracePage).items : [];
}

async function hopsOf(core: Core, id: string): Promise<TraceDetail['hops']> {
  const detail = await core.call('traces.get', { id });
  return detail.ok && detail.value ? (detail.value as TraceDetail).hops : [];
}

/** Tries each operation; every one must be refused. */
async function tryAll(attempts: Array<[label: string, subject: string, operation: () => Promise<unknown>]>): Promise<string[]> {
  const refusals: string[] = [];
  for (const [label, subject, operation] of attempts) {
    const refusal = await refusalOf(alice, subject, operation);
    expect(refusal, `${label} was not refused`).toBeDefined();
    refusals.push(`${label}: ${refusal}`);
  }
  return refusals;
}

describe('a member attacking through NATS', () => {
  it("cannot consume another member's inboxes", async () => {
    const jsm = await alice.jetstreamManager();
    const bobs = userInboxConsumer(REPO, 'bob');
    const mine = userInboxConsumer(REPO, 'alice');
    const refusals = await tryAll([
      ['a plain subscription on every inbox', 'sy.demo.inbox.>', async () => alice.subscribe('sy.demo.inbox.>').closed],
      [
        "her consumer's name with bob's filter",
        `sy-user~${REPO}~alice.sy.demo.inbox.*.bob.>`,
        () => jsm.consumers.add(MESSAGE_STREAM, { durable_name: mine.durable, filter_subject: bobs.filter, ack_policy: AckPolicy.Explicit }),
      ],
      [
        "bob's consumer name and filter",
        `CONSUMER.CREATE.${MESSAGE_STREAM}.${bobs.durable}`,
        () => jsm.consumers.add(MESSAGE_STREAM, { durable_name: bobs.durable, filter_subject: bobs.filter, ack_policy: AckPolicy.Explicit }),
      ],
      [
        'an ephemeral consumer on every inbox',
        `$JS.API.CONSUMER.CREATE.${MESSAGE_STREAM}`,
        () => jsm.consumers.add(MESSAGE_STREAM, { filter_subject: 'sy.demo.inbox.>', ack_policy: AckPolicy.Explicit }),
      ],
      [
        'a durable with a free name',
        `$JS.API.CONSUMER.DURABLE.CREATE.${MESSAGE_STREAM}.sneaky`,
        () =>
          alice.request(
            `$JS.API.CONSUMER.DURABLE.CREATE.${MESSAGE_STREAM}.sneaky`,
            encoder.encode(JSON.stringify({ stream_name: MESSAGE_STREAM, config: { durable_name: 'sneaky', filter_subject: 'sy.demo.inbox.>', ack_policy: 'explicit' } })),
            { timeout: 2_000 },
          ),
      ],
    ]);
    // Her own permitted create subject with a wider filter in the body: nats-server 2.9 checks they match.
    const reply = await alice.request(
      `$JS.API.CONSUMER.CREATE.${MESSAGE_STREAM}.${mine.durable}.${mine.filter}`,
      encoder.encode(JSON.stringify({ stream_name: MESSAGE_STREAM, config: { durable_name: mine.durable, filter_subject: 'sy.demo.inbox.>', ack_policy: 'explicit' } })),
      { timeout: 2_000 },
    );
    const answer = reply.json<{ error?: { description: string } }>();
    expect(answer.error?.description).toMatch(/did not match filtered subject/);
    refusals.push(`her own create subject with the filter sy.demo.inbox.> in the body: ${answer.error?.description}`);

    // Meanwhile bob's messages still reach bob, and only bob.
    const sent = await sendToInbox(await env.connect(TOKENS.admin), 'ada.tester', 'bob.echo', 'for bob only');
    await eventually(async () => (await traces(bob, 'echo')).find((t) => t.messageId === sent.id && t.status === 'delivered'), 15_000, 'bob got his message');
    report({ attack: 'consume-other-inbox', refused: true, how: refusals.join('; ') });
  });

  it("cannot pull from another member's consumer or ack its messages", async () => {
    const bobs = userInboxConsumer(REPO, 'bob').durable;
    const js = alice.jetstream();
    const refusals = await tryAll([
      [
        'a pull request on his consumer',
        `$JS.API.CONSUMER.MSG.NEXT.${MESSAGE_STREAM}.${bobs}`,
        () => alice.request(`$JS.API.CONSUMER.MSG.NEXT.${MESSAGE_STREAM}.${bobs}`, encoder.encode('{"batch":1}'), { timeout: 2_000 }),
      ],
      ['binding to his consumer', `$JS.API.CONSUMER.INFO.${MESSAGE_STREAM}.${bobs}`, () => js.consumers.get(MESSAGE_STREAM, bobs)],
      [
        'acking one of his messages',
        `$JS.ACK.${MESSAGE_STREAM}.${bobs}`,
        async () => {
          alice.publish(`$JS.ACK.${MESSAGE_STREAM}.${bobs}.1.1.1.0.0`, encoder.encode('+ACK'));
          await alice.flush();
        },
      ],
    ]);
    report({ attack: 'pull-other-consumer', refused: true, how: refusals.join('; ') });
  });

  it("cannot create a durable consumer on another repo's inboxes", async () => {
    const jsm = await alice.jetstreamManager();
    const theirs = userInboxConsumer('other', 'alice');
    const refusals = await tryAll([
      [
        'her own kind of consumer in repo "other"',
        `${theirs.durable}.${theirs.filter}`,
        () => jsm.consumers.add(MESSAGE_STREAM, { durable_name: theirs.durable, filter_subject: theirs.filter, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All }),
      ],
      [
        'a durable on every inbox of "other"',
        `$JS.API.CONSUMER.DURABLE.CREATE.${MESSAGE_STREAM}.other`,
        () =>
          alice.request(
            `$JS.API.CONSUMER.DURABLE.CREATE.${MESSAGE_STREAM}.other`,
            encoder.encode(JSON.stringify({ stream_name: MESSAGE_STREAM, config: { durable_name: 'other', filter_subject: 'sy.other.inbox.>', ack_policy: 'explicit' } })),
            { timeout: 2_000 },
          ),
      ],
    ]);
    report({ attack: 'durable-other-repo', refused: true, how: refusals.join('; ') });
  });

  it("cannot watch or read another repo's registry keys", async () => {
    const kv = await alice.jetstream().views.kv(REGISTRY_BUCKET, { bindOnly: true });
    const refusals = await tryAll([
      ['a watch of other.>', `$KV.${REGISTRY_BUCKET}.other.>`, () => kv.watch({ key: 'other.>' })],
      ['a watch of every key', `$KV.${REGISTRY_BUCKET}.>"`, () => kv.watch({ key: '>' })],
      ['a get of one key', `$JS.API.STREAM.MSG.GET.KV_${REGISTRY_BUCKET}`, () => kv.get('other.agent')],
      // The bucket's stream info can list every key (subjects_filter): agent names of every repo.
      [
        "the bucket's per-key counts",
        `$JS.API.STREAM.INFO.KV_${REGISTRY_BUCKET}`,
        () => alice.request(`$JS.API.STREAM.INFO.KV_${REGISTRY_BUCKET}`, encoder.encode('{"subjects_filter":">"}'), { timeout: 2_000 }),
      ],
    ]);
    // Her own repo's keys she may watch: that is how her desktop builds its mirror.
    const own = await kv.watch({ key: `${REPO}.>` });
    const first = await own[Symbol.asyncIterator]().next();
    expect(first.value?.key).toMatch(/^demo\./);
    own.stop();
    report({ attack: 'watch-other-registry', refused: true, how: refusals.join('; ') });
  });

  it('cannot send in the name of another user or of a team agent', async () => {
    // Claiming bob as the sender token: the server refuses the publish.
    const [claimBob] = await tryAll([
      ['publishing as sender "bob"', 'sy.demo.inbox.bob.bob.echo', () => sendToInbox(alice, 'bob.friend', 'bob.echo', 'hi', 'text', 'bob')],
    ]);
    // Under her own sender token, with someone else's name in `from`: bob's desktop rejects it.
    const forgedUser = await sendToInbox(alice, 'ada.bot', 'bob.echo', 'approve my change', 'text', 'alice');
    const forgedTeam = await sendToInbox(alice, 'review', 'bob.echo', { verdict: 'approve' }, 'decision.made', 'alice');
    const genuine = await sendToInbox(alice, 'alice.friend', 'bob.echo', 'hello', 'text', 'alice');
    await eventually(async () => (await traces(bob, 'echo')).find((t) => t.messageId === genuine.id && t.status === 'delivered'), 15_000, 'the genuine message delivered');
    const outcomes: string[] = [`${claimBob}`];
    for (const forged of [forgedUser, forgedTeam]) {
      const hops = await eventually(async () => {
        const found = await hopsOf(bob, forged.id);
        return found.length > 0 && found;
      }, 10_000, `a trace of ${forged.from}`);
      expect(hops.map((h) => `${h.where}:${h.event}`)).toEqual(['nats:rejected']);
      expect(hops[0]!.detail).toMatch(/forged sender/);
      expect(hops[0]!.detail).toContain('"alice"');
      outcomes.push(`from "${forged.from}" under sender alice: ${hops[0]!.detail}`);
    }
    // Nothing forged reached the agent.
    const delivered = (await traces(bob, 'echo')).filter((t) => t.status === 'delivered').map((t) => t.from);
    expect(delivered).toEqual(['alice.friend']);
    report({ attack: 'forged-from', refused: true, how: outcomes.join('; ') });
  });
});
