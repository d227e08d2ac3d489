/**
 * Dispatch benchmark (`npm run bench -- dispatch`): the time from a task's creation — a
 * `task.assigned` sent to `type:<x>` — to the chosen agent receiving it, with 1,000 agents
 * registered.
 *
 * 1. local: the real dispatcher in front of the real router on SQLite: the role's
 *    instances read from the registry, the router's open-task count, the choice, the
 *    `dispatched` hop, delivery. Time = send called → the chosen agent's delivery.
 * 2. remote: a desktop dispatches to `type:worker`, placed remote, whose instances a
 *    team-side router hosts (the durable inbox consumers the coordinator's team runner
 *    uses too): choice, JetStream publish with ack, the team side's consumer, delivery.
 *    Against the same one-way trip written with raw nats.ws calls (JetStream publish with
 *    ack, a durable pull consumer) on the same server in the same run, in alternating
 *    blocks so a noisy machine hurts both alike. remote_ratio = remote_p99 ÷ raw_p99.
 * Each task is completed (the agent's `task.completed` seen by the desktop) outside the
 * timed window, so the instances stay free and the count keeps moving.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from 'nats.ws';
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, nanos } from 'nats.ws';
import type { HybridConfig } from '../src/shared/config.js';
import type { Location, RoutedMessage } from '../src/shared/domain.js';
import { ANONYMOUS_SENDER, MESSAGE_STREAM, subjects } from '../src/shared/nats-subjects.js';
import { openDatabase } from '../src/core/db/database.js';
import { createSqliteRegistry } from '../src/core/registry/sqlite-registry.js';
import { connectWs } from '../src/core/remote/nats-ws.js';
import { Dispatcher } from '../src/core/router/dispatcher.js';
import { Router } from '../src/core/router/router.js';
import type { RemoteTransport } from '../src/core/router/types.js';
import { WorkloadLedger } from '../src/core/router/workload.js';
import { TraceStore } from '../src/core/traces/trace-store.js';
import { startNatsServer } from '../test/helpers/nats-server.js';

const AGENTS = 1000;
const LOCAL_N = 5000;
const REMOTE_N = 1000;
const BLOCK = 50;
const REPO = 'bench';
/** Instances of the dispatched type among the 1,000 (the rest are other types). */
const LOCAL_INSTANCES = 250;
const REMOTE_INSTANCES = 16;

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const round = (n: number, digits = 3): number => Number(n.toFixed(digits));
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const now = (): number => Number(process.hrtime.bigint()) / 1e6;

interface Node {
  router: Router;
  dispatcher: Dispatcher;
  workload: WorkloadLedger;
  close(): Promise<void>;
}

/** A router with its registry, traces and dispatcher; `agents` are registered up front. */
function node(hostLocation: Location, agents: Array<{ name: string; type: string; location: Location }>, config: HybridConfig, onDeliver: (m: RoutedMessage) => void, transport?: RemoteTransport): Node {
  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-dispatch-'));
  const db = openDatabase(join(dir, 'switchyard.db'));
  const clock = { now: () => Date.now() };
  // No liveness sweep: the agents are records only, they send no heartbeats.
  const registry = createSqliteRegistry(db, { clock, sweepEveryMs: false });
  agents.forEach((a, i) => registry.register({ ...a, repo: REPO, owner: 'bench', instanceId: `bench-${a.name}-${i}`, load: { current: 0, max: 4 } }));
  const traces = new TraceStore(db, { clock });
  const workload = new WorkloadLedger();
  const router = new Router({
    db, registry, transport, config: () => config, traces, clock, hostLocation,
    local: { deliver: (m) => (onDeliver(m), true) },
    onAccepted: (m) => workload.observe(m),
    rateLimit: { perSecond: 1e9, burst: 1e9 },
  });
  const dispatcher = new Dispatcher({
    registry, traces, workload, config: () => config, hostLocation, clock,
    view: (repo, name) => router.view(repo, name),
    outbox: router.outbox,
    linkUp: () => transport?.connection() !== undefined,
    next: (input, origin) => router.route(input, origin),
  });
  return {
    router, dispatcher, workload,
    async close() {
      dispatcher.close();
      await router.close();
      traces.close();
      registry.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const others = (count: number, location: Location) =>
  Array.from({ length: count }, (_, i) => ({ name: `other-${i}`, type: `type-${i % 20}`, location }));

let taskSeq = 0;
const assign = (to: string) => ({ to, kind: 'task.assigned', body: { taskId: `t${++taskSeq}`, title: 'bench', prompt: 'compile' } });
/** The assignee's answer, as the desktop would see it come back. */
const completion = (m: RoutedMessage) => ({ id: `c-${m.id}`, repo: REPO, from: m.to, to: m.from, kind: 'task.completed' as const, body: { taskId: (m.body as { taskId: string }).taskId } });

async function benchLocal(): Promise<number[]> {
  const config: HybridConfig = { enabled: false, coordinationUrl: '', repo: REPO, localAgentTypes: [], remoteAgentTypes: [], fallbackToLocal: false };
  let received: { at: number; message: RoutedMessage } | undefined;
  const workers = Array.from({ length: LOCAL_INSTANCES }, (_, i) => ({ name: `x-${i}`, type: 'x', location: 'local' as const }));
  const n = node('local', [...workers, ...others(AGENTS - LOCAL_INSTANCES - 1, 'local'), { name: 'planner', type: 'planner', location: 'local' }], config, (m) => (received = { at: now(), message: m }));
  const times: number[] = [];
  for (let i = 0; i < LOCAL_N + 500; i++) {
    received = undefined;
    const start = now();
    await n.dispatcher.send(assign('type:x'), { source: 'agent', from: 'planner' });
    const got = received as { at: number; message: RoutedMessage } | undefined;
    if (!got) throw new Error('the chosen agent did not receive its task');
    if (i >= 500) times.push(got.at - start);
    n.workload.observe(completion(got.message));
    if (i % 10 === 0) await tick();
  }
  await n.close();
  return times.sort((a, b) => a - b);
}

const transportOf = (nc: NatsConnection): RemoteTransport => ({ connection: () => nc, onUp: () => () => undefined, onDown: () => () => undefined });

async function benchRemote(): Promise<{ ours: number[]; raw: number[] }> {
  const server = await startNatsServer();
  const connect = () => connectWs({ servers: server.wsUrl, token: server.token, noAsyncTraces: true });
  const [ncA, ncB, ncC, ncD] = await Promise.all([connect(), connect(), connect(), connect()]);
  const jsm = await ncA.jetstreamManager();
  await jsm.streams.add({ name: MESSAGE_STREAM, subjects: [subjects.everyInbox()], retention: RetentionPolicy.Limits, storage: StorageType.File, duplicate_window: nanos(120_000) });

  // Hybrid on with the source's lists: `worker` is placed remote.
  const config: HybridConfig = { enabled: true, coordinationUrl: 'ws://bench', repo: REPO, localAgentTypes: [], remoteAgentTypes: [], fallbackToLocal: false };
  const workers = Array.from({ length: REMOTE_INSTANCES }, (_, i) => ({ name: `w-${i}`, type: 'worker', location: 'remote' as const }));
  const planner = { name: 'planner', type: 'planner', location: 'local' as const };
  let arrived: ((m: RoutedMessage) => void) | undefined;
  const team = node('remote', [...workers, planner], config, (m) => arrived?.(m), transportOf(ncB));
  const desk = node('local', [...workers, planner, ...others(AGENTS - REMOTE_INSTANCES - 1, 'local')], config, () => undefined, transportOf(ncA));
  await new Promise((resolve) => setTimeout(resolve, 500));

  const ours = async (count: number): Promise<number[]> => {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const got = new Promise<{ at: number; m: RoutedMessage }>((resolve) => (arrived = (m) => resolve({ at: now(), m })));
      const start = now();
      await desk.dispatcher.send(assign('type:worker'), { source: 'agent', from: 'planner' });
      const { at, m } = await got;
      times.push(at - start);
      desk.workload.observe(completion(m));
    }
    return times;
  };

  // The same one-way trip with raw nats.ws: publish with ack to an inbox, a durable pull consumer reads it.
  const js = ncC.jetstream();
  const durable = 'raw-bench';
  await (await ncD.jetstreamManager()).consumers.add(MESSAGE_STREAM, { durable_name: durable, filter_subject: subjects.agentInbox(REPO, 'raw-w'), ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.New });
  const messages = await (await ncD.jetstream().consumers.get(MESSAGE_STREAM, durable)).consume({ max_messages: 256 });
  let rawArrived: (() => void) | undefined;
  void (async () => {
    for await (const msg of messages) {
      rawArrived?.();
      msg.ack();
    }
  })();
  const encoder = new TextEncoder();
  let seq = 0;
  const raw = async (count: number): Promise<number[]> => {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const got = new Promise<number>((resolve) => (rawArrived = () => resolve(now())));
      const start = now();
      const id = `raw-${++seq}-${Date.now()}`;
      const data = encoder.encode(JSON.stringify({ id, from: 'planner', to: 'raw-w', repo: REPO, kind: 'task.assigned', body: { taskId: id, title: 'bench', prompt: 'compile' }, timestamp: Date.now(), traceId: '0af7651916cd43dd8448eb211c80319c', route: { sourceLocation: 'local', destLocation: 'remote', routedVia: 'nats', routedAt: Date.now() } }));
      await js.publish(subjects.inbox(REPO, ANONYMOUS_SENDER, 'raw-w'), data, { msgID: id });
      times.push((await got) - start);
    }
    return times;
  };

  await ours(50);
  await raw(50);
  const oursTimes: number[] = [];
  const rawTimes: number[] = [];
  for (let done = 0; done < REMOTE_N; done += BLOCK) {
    oursTimes.push(...(await ours(BLOCK)));
    rawTimes.push(...(await raw(BLOCK)));
  }
  await messages.close();
  await desk.close();
  await team.close();
  for (const nc of [ncA, ncB, ncC, ncD]) await nc.close();
  await server.dispose();
  return { ours: oursTimes.sort((a, b) => a - b), raw: rawTimes.sort((a, b) => a - b) };
}

/**
 * The machine's own noise: a busy loop as long as a median dispatch, timed the same way
 * as often. On a shared machine the p99 of a sub-millisecond step is set by the CPU
 * scheduler, not by the step; this line says how much of local_p99_ms that is.
 */
async function machineNoise(stepMs: number, count: number): Promise<number[]> {
  const times: number[] = [];
  let spin = 0;
  for (let i = 0; i < count; i++) {
    const start = now();
    while (now() - start < stepMs) spin++;
    times.push(now() - start);
    if (i % 10 === 0) await tick();
  }
  if (spin < 0) console.log(spin);
  return times.sort((a, b) => a - b);
}

const local = await benchLocal();
console.log(`local dispatch (${AGENTS} agents, ${LOCAL_INSTANCES} of the type)  p50 ${round(percentile(local, 0.5))} ms  p99 ${round(percentile(local, 0.99))} ms  (${local.length} tasks)`);
const noise = await machineNoise(percentile(local, 0.5), local.length);
console.log(`machine noise: a ${round(percentile(local, 0.5))} ms busy loop  p50 ${round(percentile(noise, 0.5))} ms  p99 ${round(percentile(noise, 0.99))} ms`);
const remote = await benchRemote();
const remoteP99 = percentile(remote.ours, 0.99);
const rawP99 = percentile(remote.raw, 0.99);
console.log(`remote dispatch (${AGENTS} agents, ${REMOTE_INSTANCES} remote of the type)  p50 ${round(percentile(remote.ours, 0.5))} ms  p99 ${round(remoteP99)} ms  (${remote.ours.length} tasks)`);
console.log(`raw nats.ws one-way (JetStream publish + pull consumer)  p50 ${round(percentile(remote.raw, 0.5))} ms  p99 ${round(rawP99)} ms  (${remote.raw.length} messages)`);
console.log(
  JSON.stringify({
    bench: 'dispatch',
    agents: AGENTS,
    local_p99_ms: round(percentile(local, 0.99)),
    remote_p99_ms: round(remoteP99),
    raw_p99_ms: round(rawP99),
    remote_ratio: round(remoteP99 / rawP99, 2),
  }),
);
process.exit(0);
