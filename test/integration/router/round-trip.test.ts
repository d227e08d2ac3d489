import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NatsServerHandle } from '../../helpers/nats-server.js';
import { startNatsServer } from '../../helpers/nats-server.js';
import { eventually } from '../../helpers/eventually.js';
import type { Node, TestLink } from './router-harness.js';
import { addAgent, connectLink, ensureStream, hybrid, removeDir, startNode } from './router-harness.js';

describe('router round trips', () => {
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

  beforeEach(async () => {
    server = await startNatsServer();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await server.dispose();
  });

  it('delivers local→local directly with a local route and two hops', async () => {
    const a = node({ config: hybrid('team', { enabled: false }) });
    addAgent(a, 'alice', 'local');
    addAgent(a, 'bob', 'local');
    const result = await a.router.route({ to: 'bob', body: { hello: 1 }, kind: 'help.request' }, { source: 'agent', from: 'alice' });
    expect(result.status).toBe('delivered');
    const [got] = a.delivery.of('bob');
    expect(got).toMatchObject({ from: 'alice', to: 'bob', repo: 'team', body: { hello: 1 }, kind: 'help.request' });
    expect(got!.route).toMatchObject({ sourceLocation: 'local', destLocation: 'local', routedVia: 'local' });
    const trace = a.traces.get(result.messageId)!;
    expect(trace.hops.map((h) => [h.seq, h.where, h.event])).toEqual([
      [0, 'router', 'accepted'],
      [1, 'agent', 'delivered'],
    ]);
    expect(trace.summary).toMatchObject({ from: 'alice', to: 'bob', status: 'delivered' });
    expect(trace.body).toEqual({ hello: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(a.batches.flatMap((b) => b.items).some((item) => item.messageId === result.messageId)).toBe(true);
  });

  it('goes local→remote→local over JetStream with RouteInfo and hops on both sides', async () => {
    const linkA = await link();
    await ensureStream(linkA.connection()!);
    const linkB = await link();
    const desk = node({ transport: linkA, hostLocation: 'local' });
    const team = node({ transport: linkB, hostLocation: 'remote' });
    addAgent(desk, 'ws', 'local');
    addAgent(desk, 'rw', 'remote');
    addAgent(team, 'rw', 'remote');
    addAgent(team, 'ws', 'local');
    // The desktop's consumers start with the agents registered after the link came up.
    team.delivery.onDeliver = (m) => {
      void team.router.route({ to: m.from, body: { answer: m.body }, kind: 'task.completed' }, { source: 'agent', from: 'rw' });
    };
    const sent = await desk.router.route({ to: 'rw', body: 'ping', kind: 'task.assigned' }, { source: 'agent', from: 'ws' });
    expect(sent.status).toBe('published');
    expect(sent.route).toMatchObject({ sourceLocation: 'local', destLocation: 'remote', routedVia: 'nats' });

    const [answer] = await desk.delivery.waitFor('ws', 1);
    expect(answer).toMatchObject({ from: 'rw', to: 'ws', kind: 'task.completed', body: { answer: 'ping' } });
    expect(answer!.route).toMatchObject({ sourceLocation: 'remote', destLocation: 'local', routedVia: 'nats' });
    const [request] = team.delivery.of('rw');
    expect(request).toMatchObject({ id: sent.messageId, traceId: sent.traceId, body: 'ping' });

    // The team side's receipts carry the request's trace on past `published`; the answer
    // names nothing (no inReplyTo), so it ends at delivered.
    await eventually(() => desk.traces.get(sent.messageId)!.summary.status === 'delivered', 10_000, 'delivered receipt');
    expect(desk.traces.get(sent.messageId)!.hops.map((h) => `${h.where}:${h.event}`)).toEqual(['router:accepted', 'nats:published', 'coordinator:received', 'remote-agent:delivered']);
    const far = team.traces.get(sent.messageId)!;
    expect(far.hops.map((h) => `${h.where}:${h.event}`)).toEqual(['nats:accepted', 'agent:delivered']);
    expect(far.summary.traceId).toBe(sent.traceId);
    expect(far.hops[0]!.detail).toMatch(/parent span [0-9a-f]{16}/);
    const back = desk.traces.get(answer!.id)!;
    expect(back.hops.map((h) => `${h.where}:${h.event}`)).toEqual(['nats:accepted', 'agent:delivered']);
  });

  it('rejects an unknown destination, an oversize body and a malformed message with typed errors and one rejected hop each', async () => {
    const a = node({});
    addAgent(a, 'alice', 'local');
    addAgent(a, 'bob', 'local');
    await expect(a.router.route({ to: 'nobody', body: 'x' }, { source: 'agent', from: 'alice' })).rejects.toMatchObject({ name: 'NoSuchAgent' });
    const big = 'x'.repeat(1024 * 1024 + 1);
    await expect(a.router.route({ to: 'bob', body: big }, { source: 'gateway', from: 'alice' })).rejects.toMatchObject({ name: 'MessageTooLarge' });
    await expect(a.router.route({ to: 'not a name!', body: 'x', kind: 'gossip' }, { source: 'cli' })).rejects.toMatchObject({ name: 'ValidationError' });

    const page = a.traces.query({});
    expect(page.items).toHaveLength(3);
    for (const item of page.items) {
      expect(item.status).toBe('rejected');
      const detail = a.traces.get(item.messageId)!;
      expect(detail.hops).toHaveLength(1);
      expect(detail.hops[0]).toMatchObject({ where: 'router', event: 'rejected' });
      expect(detail.body).toBeNull();
    }
    expect(page.items.map((i) => i.to).sort()).toEqual(['bob', 'nobody', 'not a name!']);
    expect(a.router.outbox.size()).toBe(0);
    expect(a.delivery.received.size).toBe(0);
    expect(a.db.prepare('SELECT COUNT(*) AS n FROM trace_hops').get()).toEqual({ n: 3 });
  });

  it('holds a message for an unreachable agent until it returns, and expires one whose TTL runs out', async () => {
    // The router's clock runs ahead on demand: the TTL runs out without the test waiting for it.
    let ahead = 0;
    const a = node({ router: { retryIntervalMs: 50 }, clock: { now: () => Date.now() + ahead } });
    addAgent(a, 'alice', 'local');
    addAgent(a, 'bob', 'local', 'unreachable');
    const held = await a.router.route({ to: 'bob', body: 1 }, { source: 'agent', from: 'alice' });
    const brief = await a.router.route({ to: 'bob', body: 2, ttlMs: 100 }, { source: 'agent', from: 'alice' });
    expect([held.status, brief.status]).toEqual(['queued', 'queued']);
    expect(held.route.routedVia).toBe('outbox');
    ahead += 300;
    a.registry.heartbeat({ repo: 'team', name: 'bob' });
    await a.delivery.waitFor('bob', 1);
    await a.router.flush();
    expect(a.delivery.of('bob').map((m) => m.body)).toEqual([1]);
    expect(a.traces.get(held.messageId)!.hops.map((h) => h.event)).toEqual(['accepted', 'queued', 'delivered']);
    expect(a.traces.get(brief.messageId)!.hops.map((h) => h.event)).toEqual(['accepted', 'queued', 'expired']);
    expect(a.router.outbox.size()).toBe(0);
  });

  it('limits each agent\'s rate over the link, not its local messages', async () => {
    const a = node({ router: { rateLimit: { perSecond: 1, burst: 2 } } });
    addAgent(a, 'alice', 'local');
    addAgent(a, 'bob', 'local');
    addAgent(a, 'far', 'remote');
    for (let i = 0; i < 5; i++) await a.router.route({ to: 'bob', body: i }, { source: 'agent', from: 'alice' });
    // No link in this test: link-bound messages queue, and still count against the rate.
    const queued = [await a.router.route({ to: 'far', body: 1 }, { source: 'agent', from: 'alice' }), await a.router.route({ to: 'far', body: 2 }, { source: 'agent', from: 'alice' })];
    expect(queued.map((r) => r.status)).toEqual(['queued', 'queued']);
    await expect(a.router.route({ to: 'far', body: 3 }, { source: 'agent', from: 'alice' })).rejects.toMatchObject({ name: 'RateLimited' });
    expect(a.router.outbox.size()).toBe(2);
    expect(a.traces.query({ status: 'rejected' }).items).toHaveLength(1);
  });

  it('never writes the API token into a trace', async () => {
    const token = 'sekrit-token-123456';
    const a = node({ token });
    addAgent(a, 'alice', 'local');
    addAgent(a, 'bob', 'local');
    const sent = await a.router.route({ to: 'bob', body: { note: `my token is ${token}` } }, { source: 'ui' });
    const stored = JSON.stringify(a.traces.get(sent.messageId));
    expect(stored).not.toContain(token);
    expect(stored).toContain('[redacted]');
  });
});
