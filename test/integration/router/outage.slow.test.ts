import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SendResult } from '../../../src/shared/routing-contract.js';
import type { NatsServerHandle } from '../../helpers/nats-server.js';
import { startNatsServer } from '../../helpers/nats-server.js';
import type { Node, TestLink } from './router-harness.js';
import { addAgent, connectLink, ensureStream, removeDir, startNode } from './router-harness.js';
import { MESSAGE_STREAM } from '../../../src/shared/nats-subjects.js';
import { eventually } from '../../helpers/eventually.js';

const RATE = 50;
const SECONDS = 30;
const TOTAL = RATE * SECONDS;

describe('a 30 s outage of the NATS server', () => {
  let server: NatsServerHandle;
  const cleanups: Array<() => Promise<void> | void> = [];
  beforeEach(async () => {
    server = await startNatsServer();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await server.dispose();
  });

  it(`loses nothing: ${TOTAL} messages sent at ${RATE}/s while the server is down all arrive once each, in order`, async () => {
    const links: TestLink[] = [await connectLink(server.wsUrl, server.token), await connectLink(server.wsUrl, server.token)];
    cleanups.push(() => Promise.all(links.map((l) => l.close())).then(() => undefined));
    await ensureStream(links[0]!.connection()!);
    const nodes: Node[] = [startNode({ transport: links[0] }), startNode({ transport: links[1], hostLocation: 'remote' })];
    cleanups.push(async () => {
      for (const n of nodes) {
        await n.close();
        removeDir(n.dir);
      }
    });
    const [desk, team] = nodes as [Node, Node];
    addAgent(desk, 'workspace', 'local');
    addAgent(desk, 'worker-1', 'remote');
    addAgent(team, 'worker-1', 'remote');

    // One message while the line is up: the consumer on the team side is live.
    await desk.router.route({ to: 'worker-1', body: -1 }, { source: 'agent', from: 'workspace' });
    await team.delivery.waitFor('worker-1', 1);

    await server.stop();
    const started = Date.now();
    const results: Array<Promise<SendResult>> = [];
    for (let n = 0; n < TOTAL; n++) {
      const due = started + (n * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      results.push(desk.router.route({ to: 'worker-1', body: n, kind: 'task.progress' }, { source: 'agent', from: 'workspace' }));
    }
    const settled = await Promise.all(results);
    expect(settled.every((r) => r.status === 'queued')).toBe(true);
    expect(desk.router.outbox.size()).toBe(TOTAL);
    expect(team.delivery.of('worker-1')).toHaveLength(1);

    await server.start();
    await team.delivery.waitFor('worker-1', TOTAL + 1, 60_000);
    // An end marker routed after the drain lands behind everything the outbox published:
    // once it is here, a duplicate or a straggler would have arrived before it.
    await eventually(() => desk.router.outbox.size() === 0, 20_000, 'the outbox drained');
    await desk.router.route({ to: 'worker-1', body: 'end' }, { source: 'agent', from: 'workspace' });
    const got = await team.delivery.waitFor('worker-1', TOTAL + 2, 20_000);
    const bodies = got.map((m) => m.body);
    expect(bodies).toEqual([-1, ...Array.from({ length: TOTAL }, (_, n) => n), 'end']);
    expect(new Set(got.map((m) => m.id)).size).toBe(TOTAL + 2);
    expect(desk.router.outbox.size()).toBe(0);
    const sample = desk.traces.get(settled[0]!.messageId)!;
    const path = sample.hops.map((h) => `${h.where}:${h.event}`);
    expect(path.slice(0, 3)).toEqual(['router:accepted', 'outbox:queued', 'nats:published']);
    // Then the team side's receipts, as far as they have come (under this flood some may be dropped).
    expect(['coordinator:received', 'remote-agent:delivered']).toEqual(expect.arrayContaining(path.slice(3)));
    expect(sample.summary.route?.routedVia).toBe('outbox');
  }, 150_000);

  it('keeps order when the link drops while a publish waits for its ack', async () => {
    const link = await connectLink(server.wsUrl, server.token);
    cleanups.push(() => link.close());
    await ensureStream(link.connection()!);
    // The desktop's view of the link, switched by hand so the drop lands mid-publish.
    let up = true;
    const ups = new Set<() => void>();
    const manual = { connection: () => (up ? link.connection() ?? undefined : undefined), onUp: (l: () => void) => (ups.add(l), () => ups.delete(l)), onDown: () => () => undefined };
    const desk = startNode({ transport: manual, router: { publishTimeoutMs: 1500, retryIntervalMs: 100 } });
    const team = startNode({ transport: link, hostLocation: 'remote' });
    cleanups.push(async () => {
      for (const n of [desk, team]) {
        await n.close();
        removeDir(n.dir);
      }
    });
    addAgent(desk, 'workspace', 'local');
    addAgent(desk, 'worker-1', 'remote');
    addAgent(team, 'worker-1', 'remote');
    // The team side consumes worker-1's inbox before the server goes away.
    const jsm = await link.connection()!.jetstreamManager();
    await eventually(async () => (await jsm.consumers.list(MESSAGE_STREAM).next()).length > 0, 10_000, "the team's inbox consumer");

    // Keep the client believing it is connected while its publish goes nowhere.
    const realConnection = link.connection()!;
    await server.stop();
    const first = desk.router.route({ to: 'worker-1', body: 0 }, { source: 'agent', from: 'workspace' });
    up = false;
    const rest = [1, 2, 3, 4, 5].map((n) => desk.router.route({ to: 'worker-1', body: n }, { source: 'agent', from: 'workspace' }));
    const results = await Promise.all([first, ...rest]);
    expect(results.map((r) => r.status)).toEqual(Array(6).fill('queued'));
    expect(desk.router.outbox.peek('team', 'worker-1').map((row) => row.message.body)).toEqual([0, 1, 2, 3, 4, 5]);

    await server.start();
    await eventually(() => link.connection(), 20_000, 'the client reconnected');
    expect(realConnection.isClosed()).toBe(false);
    up = true;
    for (const listener of ups) listener();
    const got = await team.delivery.waitFor('worker-1', 6);
    expect(got.map((m) => m.body)).toEqual([0, 1, 2, 3, 4, 5]);
  }, 60_000);
});
