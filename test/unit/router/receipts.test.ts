/**
 * Receipts in isolation: batching and bounds on the reporting side, correlation of
 * answers, and the sending side's trust and clock rules. The NATS side is covered by
 * test/integration/router/receipts.test.ts and test/integration/remote/receipts.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ReceiptBatch } from '../../../src/shared/receipts.js';
import { MAX_RECEIPTS_PER_BATCH } from '../../../src/shared/receipts.js';
import { subjects } from '../../../src/shared/nats-subjects.js';
import type { RoutedMessage } from '../../../src/shared/domain.js';
import { ReceiptBatcher } from '../../../src/core/receipts/receipt-batcher.js';
import { ReceiptReporter } from '../../../src/core/receipts/receipt-reporter.js';
import { ReceiptCollector } from '../../../src/core/receipts/receipt-collector.js';
import type { HopInput } from '../../../src/core/traces/trace-store.js';

const encoder = new TextEncoder();
const ID = (n: number) => `msg-${String(n).padStart(8, '0')}`;

function recordingBatcher(options: { maxPending?: number; connected?: () => boolean; now?: () => number } = {}) {
  const published: Array<{ subject: string; batch: ReceiptBatch }> = [];
  const batcher = new ReceiptBatcher({
    host: 'desktop',
    clock: { now: options.now ?? (() => 1_000) },
    flushMs: 60_000,
    maxPending: options.maxPending,
    publish: (subject, batch) => {
      if (options.connected && !options.connected()) return false;
      published.push({ subject, batch });
      return true;
    },
  });
  return { batcher, published };
}

const batchers: ReceiptBatcher[] = [];
afterEach(() => {
  for (const b of batchers.splice(0)) b.close();
});

describe('receipt batcher', () => {
  it('sends one NATS message per destination per flush, with every receipt in order', () => {
    const { batcher, published } = recordingBatcher();
    batchers.push(batcher);
    const toAlice = subjects.receipts('demo', 'alice', 'bob');
    const toAda = subjects.receipts('demo', 'ada', 'bob');
    batcher.add(toAlice, { messageId: ID(1), event: 'received', at: 1 });
    batcher.add(toAda, { messageId: ID(2), event: 'received', at: 2 });
    batcher.add(toAlice, { messageId: ID(1), event: 'delivered', at: 3 });
    expect(published).toHaveLength(0);
    batcher.flush();
    expect(published.map((p) => p.subject)).toEqual([toAlice, toAda]);
    expect(published[0]!.batch).toMatchObject({ v: 1, host: 'desktop', sentAt: 1_000 });
    expect(published[0]!.batch.receipts.map((r) => r.event)).toEqual(['received', 'delivered']);
    expect(batcher.stats()).toEqual({ sent: 3, batches: 2, dropped: 0 });
  });

  it('splits a destination past the per-batch cap', () => {
    const { batcher, published } = recordingBatcher({ maxPending: 1_000 });
    batchers.push(batcher);
    const subject = subjects.receipts('demo', 'alice', 'bob');
    for (let i = 0; i < MAX_RECEIPTS_PER_BATCH + 10; i++) batcher.add(subject, { messageId: ID(i), event: 'received', at: i });
    batcher.flush();
    expect(published.map((p) => p.batch.receipts.length)).toEqual([MAX_RECEIPTS_PER_BATCH, 10]);
  });

  it('drops new receipts past the pending bound, and a whole batch with no connection, counting each', () => {
    let connected = true;
    const { batcher, published } = recordingBatcher({ maxPending: 5, connected: () => connected });
    batchers.push(batcher);
    const subject = subjects.receipts('demo', 'alice', 'bob');
    const taken = Array.from({ length: 8 }, (_, i) => batcher.add(subject, { messageId: ID(i), event: 'received', at: i }));
    expect(taken).toEqual([true, true, true, true, true, false, false, false]);
    expect(batcher.size()).toBe(5);
    batcher.flush();
    expect(published[0]!.batch.receipts.map((r) => r.messageId)).toEqual([ID(0), ID(1), ID(2), ID(3), ID(4)]);
    // After a flush there is room again.
    expect(batcher.add(subject, { messageId: ID(9), event: 'received', at: 9 })).toBe(true);
    connected = false;
    batcher.flush();
    expect(batcher.stats()).toEqual({ sent: 5, batches: 1, dropped: 4 });
  });
});

const inbound = (id: string, extra: Partial<RoutedMessage> = {}) => ({
  id,
  repo: 'demo',
  from: 'alice.ws',
  to: 'echo',
  traceId: 'a'.repeat(32),
  route: { sourceLocation: 'local' as const, destLocation: 'remote' as const, routedVia: 'nats' as const, routedAt: 1 },
  ...extra,
});
const route = { repo: 'demo', sender: 'alice', by: 'bob' };

describe('receipt reporter', () => {
  it('reports received, delivered and the first answer that names the message, to the sender', () => {
    const { batcher, published } = recordingBatcher();
    batchers.push(batcher);
    const reporter = new ReceiptReporter({ batcher, clock: { now: () => 5 } });
    reporter.received(inbound(ID(1)), route);
    reporter.delivered(ID(1));
    // Not an answer: another sender, another recipient, no inReplyTo.
    reporter.outgoing({ id: ID(90), from: 'echo', to: 'ada.ws', traceId: 'b'.repeat(32), body: { inReplyTo: ID(1) } });
    reporter.outgoing({ id: ID(91), from: 'other', to: 'alice.ws', traceId: 'b'.repeat(32), body: { inReplyTo: ID(1) } });
    reporter.outgoing({ id: ID(92), from: 'echo', to: 'alice.ws', traceId: 'b'.repeat(32), body: 'hi' });
    reporter.outgoing({ id: ID(93), from: 'echo', to: 'alice.ws', traceId: 'b'.repeat(32), body: { inReplyTo: ID(1) } });
    reporter.outgoing({ id: ID(94), from: 'echo', to: 'alice.ws', traceId: 'b'.repeat(32), body: { inReplyTo: ID(1) } });
    batcher.flush();
    expect(published).toHaveLength(1);
    expect(published[0]!.subject).toBe('sy.demo.receipts.alice.bob');
    expect(published[0]!.batch.receipts).toEqual([
      { messageId: ID(1), event: 'received', at: 5 },
      { messageId: ID(1), event: 'delivered', at: 5 },
      { messageId: ID(1), event: 'answered', at: 5, detail: ID(93) },
    ]);
    expect(reporter.size()).toBe(0);
  });

  it('takes a reply that continues the trace as an answer, and reports nothing for messages from the team side', () => {
    const { batcher, published } = recordingBatcher();
    batchers.push(batcher);
    const reporter = new ReceiptReporter({ batcher, clock: { now: () => 5 } });
    reporter.received(inbound(ID(1)), route);
    reporter.outgoing({ id: ID(2), from: 'echo', to: 'alice.ws', traceId: 'a'.repeat(32), body: 'done' });
    reporter.received(inbound(ID(3), { route: { sourceLocation: 'remote', destLocation: 'local', routedVia: 'nats', routedAt: 1 } }), route);
    reporter.delivered(ID(3));
    reporter.rejected(ID(4), route, 'forged', 'remote');
    reporter.rejected('not an id!', route, 'malformed');
    batcher.flush();
    // An answer implies the delivery it followed, even when that was not reported yet.
    expect(published[0]!.batch.receipts.map((r) => `${r.messageId}:${r.event}`)).toEqual([`${ID(1)}:received`, `${ID(1)}:delivered`, `${ID(1)}:answered`]);
  });

  it('remembers a bounded number of inbound messages, forgetting the oldest first', () => {
    const { batcher, published } = recordingBatcher({ maxPending: 100 });
    batchers.push(batcher);
    const reporter = new ReceiptReporter({ batcher, clock: { now: () => 5 }, maxAwaiting: 3 });
    for (let i = 1; i <= 5; i++) reporter.received(inbound(ID(i), { traceId: String(i).repeat(32) }), route);
    expect(reporter.size()).toBe(3);
    for (let i = 1; i <= 5; i++) reporter.delivered(ID(i));
    batcher.flush();
    const delivered = published[0]!.batch.receipts.filter((r) => r.event === 'delivered').map((r) => r.messageId);
    expect(delivered).toEqual([ID(3), ID(4), ID(5)]);
  });
});

describe('receipt collector', () => {
  function collector(options: { anonymous?: boolean; now?: () => number } = {}) {
    const hops: Array<{ id: string; hop: HopInput }> = [];
    let now = 10_000;
    const c = new ReceiptCollector({
      traces: { hop: (id, hop) => hops.push({ id, hop }), get: () => null },
      clock: { now: options.now ?? (() => now) },
      ownerOf: (_repo, name) => ({ review: 'team', 'bob.echo': 'bob' })[name],
      anonymousAllowed: () => options.anonymous ?? false,
    });
    return { c, hops, setNow: (n: number) => (now = n) };
  }
  const batch = (receipts: ReceiptBatch['receipts'], sentAt: number, host: ReceiptBatch['host'] = 'desktop'): Uint8Array =>
    encoder.encode(JSON.stringify({ v: 1, host, sentAt, receipts }));

  it('writes receipts for a message it sent, from its recipient side, as ordered hops', () => {
    const { c, hops, setNow } = collector();
    c.sending(ID(1), 'demo', 'bob.echo', 10_000);
    c.published(ID(1), 10_004);
    setNow(10_040);
    c.receive('sy.demo.receipts.alice.bob', batch([
      { messageId: ID(1), event: 'received', at: 10_010 },
      { messageId: ID(1), event: 'delivered', at: 10_012 },
    ], 10_030));
    expect(hops.map((h) => `${h.hop.where}:${h.hop.event}@${h.hop.at}`)).toEqual(['desktop:received@10010', 'remote-agent:delivered@10012']);
    expect(hops[0]!.hop.detail).toMatch(/received by bob's desktop; remote time .* \(20 ms crossing, both ways; offset 0 ms\)/);
    expect(hops[1]!.hop.detail).toMatch(/delivered to bob.echo; .*2 ms after the previous remote hop/);
    expect(c.stats()).toMatchObject({ applied: 2, refused: 0 });
  });

  it('refuses receipts from anyone but the recipient side, for messages it did not send, and malformed batches', () => {
    const { c, hops } = collector();
    c.sending(ID(1), 'demo', 'review', 10_000);
    c.published(ID(1), 10_001);
    c.sending(ID(2), 'demo', 'bob.echo', 10_000);
    c.published(ID(2), 10_001);
    const receipt = (id: string) => [{ messageId: id, event: 'rejected' as const, at: 10_010, detail: 'forged' }];
    c.receive('sy.demo.receipts.alice.bob', batch(receipt(ID(1)), 10_011)); // bob is not review's side
    c.receive('sy.demo.receipts.alice.ada', batch(receipt(ID(2)), 10_011)); // ada is not bob.echo's side
    c.receive('sy.demo.receipts.alice.~', batch(receipt(ID(2)), 10_011)); // anonymous, on a deployment with users
    c.receive('sy.other.receipts.alice.bob', batch(receipt(ID(2)), 10_011)); // another repo
    c.receive('sy.demo.receipts.alice.bob', batch(receipt(ID(3)), 10_011)); // never sent
    c.receive('sy.demo.receipts.alice.bob', encoder.encode('{"v":1,"host":"desktop","sentAt":1,"receipts":[{"messageId":"x"}]}'));
    c.receive('sy.demo.receipts.alice.bob', encoder.encode(`${'['.repeat(50)}${']'.repeat(50)}`));
    c.receive('sy.demo.receipts.alice.bob', encoder.encode(JSON.stringify({ v: 1, host: 'desktop', sentAt: 1, receipts: receipt(ID(2)), extra: true })));
    expect(hops).toEqual([]);
    expect(c.stats()).toEqual({ applied: 0, ignored: 2, refused: 3, malformed: 3 });
    // The genuine sides are believed: the team owner for review, bob for bob.echo.
    c.receive('sy.demo.receipts.alice.team', batch(receipt(ID(1)), 10_011, 'coordinator'));
    c.receive('sy.demo.receipts.alice.bob', batch(receipt(ID(2)), 10_011));
    expect(hops.map((h) => `${h.id}:${h.hop.where}:${h.hop.event}`)).toEqual([`${ID(1)}:coordinator:rejected`, `${ID(2)}:desktop:rejected`]);
    expect(hops[0]!.hop.detail).toMatch(/^rejected by the coordinator: forged/);
  });

  it('only moves a trace forward, and holds receipts that arrive before the publish is acknowledged', () => {
    const { c, hops } = collector();
    c.sending(ID(1), 'demo', 'bob.echo', 10_000);
    c.receive('sy.demo.receipts.alice.bob', batch([{ messageId: ID(1), event: 'received', at: 10_002 }], 10_003));
    expect(hops).toEqual([]);
    c.published(ID(1), 10_005);
    expect(hops.map((h) => h.hop.event)).toEqual(['received']);
    // Never before the published hop on the timeline.
    expect(hops[0]!.hop.at).toBe(10_005);
    c.receive('sy.demo.receipts.alice.bob', batch([
      { messageId: ID(1), event: 'received', at: 10_002 },
      { messageId: ID(1), event: 'answered', at: 10_020, detail: ID(9) },
      { messageId: ID(1), event: 'delivered', at: 10_010 },
      { messageId: ID(1), event: 'rejected', at: 10_030 },
    ], 10_031));
    expect(hops.map((h) => h.hop.event)).toEqual(['received', 'answered']);
    expect(c.size()).toBe(0);
  });

  it("maps a skewed remote clock onto ours: the least shift that keeps cause before effect", () => {
    // The remote clock runs 5 minutes ahead.
    const skew = 300_000;
    const { c, hops, setNow } = collector();
    c.sending(ID(1), 'demo', 'bob.echo', 10_000);
    c.published(ID(1), 10_003);
    setNow(10_050);
    c.receive('sy.demo.receipts.alice.bob', batch([
      { messageId: ID(1), event: 'received', at: 10_010 + skew },
      { messageId: ID(1), event: 'delivered', at: 10_015 + skew },
    ], 10_030 + skew));
    const [received, delivered] = hops.map((h) => h.hop.at!);
    // Shifted by t2 − t3 = 300,000 − 20: inside [accepted, arrival], the remote difference kept exactly.
    expect(received).toBe(10_030);
    expect(delivered! - received!).toBe(5);
    expect(hops[0]!.hop.detail).toMatch(/offset 299980 ms/);
    // A remote clock behind ours: remote times before the message left are shifted after it.
    const { c: c2, hops: hops2, setNow: setNow2 } = collector();
    c2.sending(ID(2), 'demo', 'bob.echo', 1_000_000);
    c2.published(ID(2), 1_000_003);
    setNow2(1_000_050);
    c2.receive('sy.demo.receipts.alice.bob', batch([{ messageId: ID(2), event: 'received', at: 1_000_010 - skew }], 1_000_030 - skew));
    expect(hops2[0]!.hop.at).toBe(1_000_003);
    expect(hops2[0]!.hop.detail).toMatch(/offset -299990 ms/);
  });
});
