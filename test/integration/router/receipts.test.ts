/**
 * Receipts between two routers on a real nats-server (server token, as the benchmark):
 * a receiving host whose clock is far off still gives the sender an ordered timeline,
 * and under a flood receipts are dropped and counted while every message is delivered.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NatsServerHandle } from '../../helpers/nats-server.js';
import { startNatsServer } from '../../helpers/nats-server.js';
import { eventually } from '../../helpers/eventually.js';
import type { Node, TestLink } from './router-harness.js';
import { addAgent, connectLink, ensureStream, removeDir, startNode } from './router-harness.js';

describe('receipts between routers', () => {
  let server: NatsServerHandle;
  const cleanups: Array<() => Promise<void> | void> = [];
  const link = async (): Promise<TestLink> => {
    const l = await connectLink(server.wsUrl, server.token);
    cleanups.push(() => l.close());
    return l;
  };
  const node = (options: Parameters<typeof startNode>[0]): Node => {
    const n = startNode(options);
    cleanups.push(async () => {
      await n.close();
      removeDir(n.dir);
    });
    return n;
  };
  const unlimited = { rateLimit: { perSecond: 1e9, burst: 1e9 } };

  beforeEach(async () => {
    server = await startNatsServer();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await server.dispose();
  });

  async function pair(team: Parameters<typeof startNode>[0] = {}) {
    const linkA = await link();
    await ensureStream(linkA.connection()!);
    const desk = node({ transport: linkA, hostLocation: 'local', router: unlimited });
    const far = node({ transport: await link(), hostLocation: 'remote', ...team });
    addAgent(desk, 'ws', 'local');
    addAgent(desk, 'rw', 'remote');
    addAgent(far, 'rw', 'remote');
    addAgent(far, 'ws', 'local');
    return { desk, far };
  }

  it('map a receiving clock five minutes ahead onto the sender\'s timeline, keeping its differences', async () => {
    const skew = 5 * 60_000;
    const { desk, far } = await pair({ clock: { now: () => Date.now() + skew } });
    far.delivery.onDeliver = (m) => {
      void far.router.route({ to: m.from, body: { answer: m.body, inReplyTo: m.id }, kind: 'task.completed' }, { source: 'agent', from: 'rw' });
    };
    const sent = await desk.router.route({ to: 'rw', body: 'ping', kind: 'task.assigned' }, { source: 'agent', from: 'ws' });
    const [answer] = await desk.delivery.waitFor('ws', 1);
    const done = await eventually(() => desk.traces.get(sent.messageId)!.summary.status === 'answered' && desk.traces.get(sent.messageId)!, 10_000, 'answered');
    expect(done.hops.map((h) => `${h.where}:${h.event}`)).toEqual(['router:accepted', 'nats:published', 'coordinator:received', 'remote-agent:delivered', 'remote-agent:answered']);
    const [, published, received, , answered] = done.hops;
    // On the sender's clock: after it was published, and no later than the answer was traced
    // here give or take the estimate's error: the offset is fixed by the first receipt batch,
    // taking the receipts' way back as instant, so a later hop can land a few ms late.
    expect(received!.at).toBeGreaterThanOrEqual(published!.at);
    expect(answered!.at).toBeLessThanOrEqual(desk.traces.get(answer!.id)!.summary.createdAt + 25);
    for (let i = 1; i < done.hops.length; i++) expect(done.hops[i]!.at).toBeGreaterThanOrEqual(done.hops[i - 1]!.at);
    // The shift applied is the skew less the receipt's way back.
    const offset = Number(/offset (-?\d+) ms/.exec(received!.detail)?.[1]);
    expect(offset).toBeGreaterThan(skew - 5_000);
    expect(offset).toBeLessThanOrEqual(skew);
    // The remote time is kept as reported, labelled as the other host's clock.
    expect(received!.detail).toContain(`remote time ${new Date(received!.at + offset).toISOString().slice(11, 16)}`);
  });

  it('are dropped and counted under a flood, while every message is delivered in order', async () => {
    const N = 600;
    // A small bound and a slow tick make the flood overflow it for sure.
    const { desk, far } = await pair({ router: { receipts: { maxPending: 50, flushMs: 500 } } });
    const sends: Array<Promise<unknown>> = [];
    for (let i = 0; i < N; i++) sends.push(desk.router.route({ to: 'rw', body: i, kind: 'text' }, { source: 'agent', from: 'ws' }));
    await Promise.all(sends);
    const got = await far.delivery.waitFor('rw', N);
    expect(got.map((m) => m.body)).toEqual(Array.from({ length: N }, (_, i) => i));
    // Two receipts per message (received, delivered): each went out or was dropped, none lost silently.
    const reported = await eventually(() => {
      const stats = far.router.receiptStats()!;
      return stats.sent + stats.dropped === 2 * N && stats;
    }, 10_000, 'every receipt sent or dropped');
    expect(reported.dropped).toBeGreaterThan(0);
    expect(reported.sent).toBeGreaterThan(0);
    // What went out was written on the sender's traces.
    await eventually(() => desk.router.receiptStats()!.applied === reported.sent, 10_000, 'receipts applied');
    expect(desk.router.receiptStats()).toMatchObject({ refused: 0, malformed: 0 });
  });
});
