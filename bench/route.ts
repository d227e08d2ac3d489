/**
 * Router benchmark (`npm run bench -- route`).
 *
 * 1. local→local: route() latency p50/p99 (call to resolved, the sender's view) and
 *    messages per second, through the real router: parse, registry lookup in SQLite,
 *    decision, delivery, traces (batched per tick).
 * 2. remote: a request/answer exchange between two routers over the WebSocket link —
 *    a desktop router publishes to a team router's agent inbox on JetStream (ack awaited),
 *    the team agent answers the same way back — against the same exchange written with
 *    raw nats.ws calls (JetStream publish with ack, durable pull consumers, explicit
 *    acks) on the same server in the same run. Blocks of ours and raw alternate so a
 *    noisy machine hurts both alike. ratio = remote_p99 ÷ raw_p99.
 * 3. receipts: ours runs as shipped, with receipts on (the team router reports received,
 *    delivered and answered back to the desktop, which writes them on its traces); a
 *    second pair of routers with receipts off runs in the same rounds, so their cost is
 *    remote_p99 against remote_no_receipts_p99. The answers name what they answer
 *    (`inReplyTo`), in ours and raw alike, as the shipped agents do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsMsg, NatsConnection } from 'nats.ws';
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, nanos } from 'nats.ws';
import type { HybridConfig } from '../src/shared/config.js';
import type { Location, RoutedMessage } from '../src/shared/domain.js';
import { ANONYMOUS_SENDER, MESSAGE_STREAM, subjects } from '../src/shared/nats-subjects.js';
import { openDatabase } from '../src/core/db/database.js';
import { createSqliteRegistry } from '../src/core/registry/sqlite-registry.js';
import { connectWs } from '../src/core/remote/nats-ws.js';
import { Router } from '../src/core/router/router.js';
import type { LocalDelivery, RemoteTransport } from '../src/core/router/types.js';
import { TraceStore } from '../src/core/traces/trace-store.js';
import { startNatsServer } from '../test/helpers/nats-server.js';

const LOCAL_N = 20_000;
const EXCHANGES = 1000;
const BLOCK = 50;
const REPO = 'bench';

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
const round = (n: number, digits = 3): number => Number(n.toFixed(digits));
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface BenchNode {
  router: Router;
  delivery: { deliver: LocalDelivery['deliver'] };
  close(): void;
}

function node(hostLocation: Location, agents: Array<[string, Location]>, config: HybridConfig, transport?: RemoteTransport, onDeliver?: (m: RoutedMessage) => void, receipts = true): BenchNode {
  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-route-'));
  const db = openDatabase(join(dir, 'switchyard.db'));
  const clock = { now: () => Date.now() };
  const registry = createSqliteRegistry(db, { clock });
  agents.forEach(([name, location], i) => registry.register({ name, type: 'worker', location, repo: REPO, owner: 'bench', instanceId: `bench-${name}-${i}` }));
  const traces = new TraceStore(db, { clock });
  const delivery = { deliver: (m: RoutedMessage) => (onDeliver?.(m), true) };
  const router = new Router({
    db, registry, local: delivery, transport, config: () => config, traces, clock, hostLocation,
    // The exchange runs far above the default per-agent link rate; the limit is not what is measured.
    rateLimit: { perSecond: 1e9, burst: 1e9 },
    ...(receipts ? {} : { receipts: false as const }),
  });
  return {
    router,
    delivery,
    close() {
      void router.close().then(() => {
        traces.close();
        registry.close();
        db.close();
        rmSync(dir, { recursive: true, force: true });
      });
    },
  };
}

async function benchLocal(): Promise<{ p50: number; p99: number; perSecond: number }> {
  const config: HybridConfig = { enabled: false, coordinationUrl: '', repo: REPO, localAgentTypes: [], remoteAgentTypes: [], fallbackToLocal: false };
  let delivered = 0;
  const n = node('local', [['a', 'local'], ['b', 'local']], config, undefined, () => delivered++);
  const send = (i: number) => n.router.route({ to: 'b', body: { i, text: 'hello' }, kind: 'text' }, { source: 'agent', from: 'a' });
  for (let i = 0; i < 2000; i++) await send(i);
  const times: number[] = [];
  for (let i = 0; i < LOCAL_N; i++) {
    const start = process.hrtime.bigint();
    await send(i);
    times.push(ms(start));
    // Let the per-tick trace flush run between messages, as it would between agent lines.
    if (i % 10 === 0) await tick();
  }
  times.sort((x, y) => x - y);
  // Throughput: bursts of 100 per tick, traces flushed in between, all counted.
  const before = delivered;
  const start = process.hrtime.bigint();
  for (let i = 0; i < LOCAL_N; i += 100) {
    const batch: Array<Promise<unknown>> = [];
    for (let k = 0; k < 100; k++) batch.push(send(i + k));
    await Promise.all(batch);
    await tick();
  }
  const seconds = ms(start) / 1000;
  if (delivered - before !== LOCAL_N) throw new Error('not every message was delivered');
  n.close();
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), perSecond: LOCAL_N / seconds };
}

/** A RemoteTransport over one connection that stays up for the run. */
const transportOf = (nc: NatsConnection): RemoteTransport => ({ connection: () => nc, onUp: () => () => undefined, onDown: () => () => undefined });

interface RouterPair {
  run: (count: number) => Promise<number[]>;
  receipts: () => { sent: number; dropped: number; batches: number; applied: number };
  close: () => void;
}

async function benchRouters(ncA: NatsConnection, ncB: NatsConnection, receipts: boolean): Promise<RouterPair> {
  const config: HybridConfig = { enabled: true, coordinationUrl: 'ws://bench', repo: REPO, localAgentTypes: [], remoteAgentTypes: [], fallbackToLocal: false };
  const [ws, rw] = receipts ? ['ws', 'rw'] : ['ws-nr', 'rw-nr'];
  let answered: ((m: RoutedMessage) => void) | undefined;
  const desk = node('local', [[ws, 'local'], [rw, 'remote']], config, transportOf(ncA), (m) => answered?.(m), receipts);
  // The team agent answers every request, through its own router.
  const team: BenchNode = node('remote', [[rw, 'remote'], [ws, 'local']], config, transportOf(ncB), (m) => {
    void team.router.route({ to: m.from, body: { answer: m.body, inReplyTo: m.id }, kind: 'task.completed' }, { source: 'agent', from: rw });
  }, receipts);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const run = async (count: number): Promise<number[]> => {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = process.hrtime.bigint();
      const got = new Promise<RoutedMessage>((resolve) => (answered = resolve));
      await desk.router.route({ to: rw, body: { i, task: 'compile' }, kind: 'task.assigned' }, { source: 'agent', from: ws });
      await got;
      times.push(ms(start));
    }
    return times;
  };
  const stats = () => {
    const sent = team.router.receiptStats();
    const read = desk.router.receiptStats();
    return { sent: sent?.sent ?? 0, dropped: sent?.dropped ?? 0, batches: sent?.batches ?? 0, applied: read?.applied ?? 0 };
  };
  return { run, receipts: stats, close: () => (desk.close(), team.close()) };
}

async function benchRaw(ncA: NatsConnection, ncB: NatsConnection): Promise<{ run: (count: number) => Promise<number[]>; close: () => Promise<void> }> {
  const jsA = ncA.jetstream();
  const jsB = ncB.jetstream();
  const encoder = new TextEncoder();
  let seq = 0;
  const message = (from: string, to: string, body: unknown): Uint8Array =>
    encoder.encode(JSON.stringify({ id: `raw-${++seq}-${Date.now()}`, from, to, repo: REPO, body, kind: 'text', timestamp: Date.now(), traceId: '0af7651916cd43dd8448eb211c80319c', route: { sourceLocation: 'local', destLocation: 'remote', routedVia: 'nats', routedAt: Date.now() } }));
  const consume = async (nc: NatsConnection, agent: string, handle: (msg: JsMsg) => Promise<void>) => {
    const jsm = await nc.jetstreamManager();
    const durable = `raw-${agent}`;
    await jsm.consumers.add(MESSAGE_STREAM, { durable_name: durable, filter_subject: subjects.agentInbox(REPO, agent), ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.New });
    const messages = await (await nc.jetstream().consumers.get(MESSAGE_STREAM, durable)).consume({ max_messages: 256 });
    void (async () => {
      for await (const msg of messages) {
        await handle(msg);
        msg.ack();
      }
    })();
    return messages;
  };
  let answered: (() => void) | undefined;
  const a = await consume(ncA, 'raw-ws', async () => answered?.());
  const b = await consume(ncB, 'raw-rw', async (msg) => {
    const request = msg.json<{ id: string; body: unknown }>();
    const answer = message('raw-rw', 'raw-ws', { answer: request.body, inReplyTo: request.id });
    await jsB.publish(subjects.inbox(REPO, ANONYMOUS_SENDER, 'raw-ws'), answer, { msgID: `ans-${request.id}` });
  });
  const run = async (count: number): Promise<number[]> => {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = process.hrtime.bigint();
      const got = new Promise<void>((resolve) => (answered = resolve));
      const data = message('raw-ws', 'raw-rw', { i, task: 'compile' });
      await jsA.publish(subjects.inbox(REPO, ANONYMOUS_SENDER, 'raw-rw'), data, { msgID: `req-${seq}` });
      await got;
      times.push(ms(start));
    }
    return times;
  };
  return { run, close: async () => (await a.close(), await b.close(), undefined) };
}

async function benchRemote(): Promise<{ ours: number[]; bare: number[]; raw: number[]; receipts: ReturnType<RouterPair['receipts']> }> {
  const server = await startNatsServer();
  // noAsyncTraces: no Error (and stack) per request, for ours and raw alike.
  const connect = () => connectWs({ servers: server.wsUrl, token: server.token, noAsyncTraces: true });
  const [ncA, ncB, ncC, ncD, ncE, ncF] = await Promise.all([connect(), connect(), connect(), connect(), connect(), connect()]);
  const jsm = await ncA.jetstreamManager();
  await jsm.streams.add({ name: MESSAGE_STREAM, subjects: [subjects.everyInbox()], retention: RetentionPolicy.Limits, storage: StorageType.File, duplicate_window: nanos(120_000) });
  const ours = await benchRouters(ncA, ncB, true);
  const bare = await benchRouters(ncE!, ncF!, false);
  const raw = await benchRaw(ncC!, ncD!);
  await ours.run(50);
  await bare.run(50);
  await raw.run(50);
  const oursTimes: number[] = [];
  const bareTimes: number[] = [];
  const rawTimes: number[] = [];
  for (let done = 0; done < EXCHANGES; done += BLOCK) {
    oursTimes.push(...(await ours.run(BLOCK)));
    bareTimes.push(...(await bare.run(BLOCK)));
    rawTimes.push(...(await raw.run(BLOCK)));
  }
  // The last receipts leave on the next tick of the batcher.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const receipts = ours.receipts();
  ours.close();
  bare.close();
  await raw.close();
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (const nc of [ncA, ncB, ncC, ncD, ncE, ncF]) await nc!.close();
  await server.dispose();
  const sorted = (times: number[]) => times.sort((x, y) => x - y);
  return { ours: sorted(oursTimes), bare: sorted(bareTimes), raw: sorted(rawTimes), receipts };
}

const local = await benchLocal();
console.log(`local→local  p50 ${round(local.p50)} ms  p99 ${round(local.p99)} ms  ${Math.round(local.perSecond)} msgs/s (${LOCAL_N} messages)`);
const remote = await benchRemote();
const remoteP99 = percentile(remote.ours, 0.99);
const bareP99 = percentile(remote.bare, 0.99);
const rawP99 = percentile(remote.raw, 0.99);
const r = remote.receipts;
console.log(`remote exchange (routers, receipts on)  p50 ${round(percentile(remote.ours, 0.5))} ms  p99 ${round(remoteP99)} ms  (${remote.ours.length} exchanges)`);
console.log(`remote exchange (routers, receipts off)  p50 ${round(percentile(remote.bare, 0.5))} ms  p99 ${round(bareP99)} ms  (${remote.bare.length} exchanges)`);
console.log(`remote exchange (raw nats.ws)  p50 ${round(percentile(remote.raw, 0.5))} ms  p99 ${round(rawP99)} ms  (${remote.raw.length} exchanges)`);
console.log(`receipts: ${r.sent} sent in ${r.batches} NATS messages, ${r.dropped} dropped, ${r.applied} written on the sender's traces`);
console.log(
  JSON.stringify({
    bench: 'route',
    local_p99_ms: round(local.p99),
    local_msgs_per_s: Math.round(local.perSecond),
    remote_p99_ms: round(remoteP99),
    raw_p99_ms: round(rawP99),
    remote_no_receipts_p99_ms: round(bareP99),
    receipts_sent: r.sent,
    receipt_batches: r.batches,
    receipts_dropped: r.dropped,
    ratio: round(remoteP99 / rawP99, 2),
  }),
);
process.exit(0);
