/**
 * The message parts of `npm run bench -- scale` (bench/scale.ts): exchanges across the
 * cluster, ours against raw nats.ws, and a stream of messages through node kills.
 */
import type { JsMsg, NatsConnection } from 'nats.ws';
import { AckPolicy, DeliverPolicy } from 'nats.ws';
import { INBOX_PULL } from '../src/core/router/inbound-consumers.js';
import { buildMessage } from '../src/core/router/message-input.js';
import { publishToInbox } from '../src/core/router/nats-publisher.js';
import { newTraceId, traceparentFor } from '../src/core/router/trace-context.js';
import { RoutedMessage } from '../src/shared/domain.js';
import { ANONYMOUS_SENDER, MESSAGE_STREAM, subjects } from '../src/shared/nats-subjects.js';
import { parseUnknown } from '../src/shared/parse.js';
import type { NatsClusterHandle } from '../test/helpers/nats-cluster.js';

const REPO = 'scale';
const EXCHANGES = Number(process.env.SY_BENCH_EXCHANGES ?? 1_000);
const KILL_STREAM = Number(process.env.SY_BENCH_KILL_MESSAGES ?? 600);
const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function makeConsumer(nc: NatsConnection, name: string, filter: string): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await jsm.consumers.add(MESSAGE_STREAM, { durable_name: name, filter_subject: filter, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.New });
}

/** Pulls a consumer forever, as the router's inbox consumers do, handing each message to `onMessage` and acking it. */
function pullLoop(nc: NatsConnection, name: string, onMessage: (msg: JsMsg) => void): { stop(): void } {
  let stopped = false;
  void (async () => {
    while (!stopped) {
      try {
        const consumer = await nc.jetstream().consumers.get(MESSAGE_STREAM, name);
        const messages = await consumer.consume({ max_messages: 256, ...INBOX_PULL });
        for await (const msg of messages) {
          if (stopped) break;
          onMessage(msg);
          msg.ack();
        }
      } catch {
        await sleep(200);
      }
    }
  })();
  return { stop: () => (stopped = true) };
}

function routedMessage(to: string, seq: number): RoutedMessage {
  const now = Date.now();
  return {
    ...buildMessage({ to, body: { seq, text: 'x'.repeat(200) }, kind: 'text' }, { from: 'bench-sender', repo: REPO, now }),
    route: { sourceLocation: 'local', destLocation: 'remote', routedVia: 'nats', routedAt: now },
  };
}

/**
 * Ours against raw, one message at a time, publish to consume, alternating message by
 * message: a stall of the shared machine (p99 is the few worst) then falls on both alike
 * rather than on whichever had the block it came in.
 */
export async function exchanges(sender: NatsConnection, receiver: NatsConnection): Promise<{ ours: number[]; raw: number[] }> {
  await makeConsumer(receiver, 'bench-ours', subjects.agentInbox(REPO, 'ours'));
  await makeConsumer(receiver, 'bench-raw', subjects.agentInbox(REPO, 'raw'));
  const waiting = new Map<string, () => void>();
  const ours = pullLoop(receiver, 'bench-ours', (msg) => {
    const message = parseUnknown(RoutedMessage, JSON.parse(new TextDecoder().decode(msg.data)), 'inbox message');
    waiting.get(message.id)?.();
  });
  const raw = pullLoop(receiver, 'bench-raw', (msg) => waiting.get(msg.headers?.get('Nats-Msg-Id') ?? '')?.());
  const js = sender.jetstream();
  const times = { ours: [] as number[], raw: [] as number[] };
  for (let seq = 0; seq < EXCHANGES; seq++) {
    const useOurs = seq % 2 === 0;
    const message = routedMessage(useOurs ? 'ours' : 'raw', seq);
    const arrived = new Promise<void>((resolve) => waiting.set(message.id, resolve));
    const started = performance.now();
    if (useOurs) await publishToInbox(sender, message, traceparentFor(newTraceId()), 5_000, ANONYMOUS_SENDER);
    else await js.publish(subjects.inbox(REPO, ANONYMOUS_SENDER, 'raw'), encoder.encode(JSON.stringify(message)), { msgID: message.id });
    await arrived;
    (useOurs ? times.ours : times.raw).push(performance.now() - started);
    waiting.delete(message.id);
  }
  ours.stop();
  raw.stop();
  return times;
}

/** Messages published through node kills; a failed publish is retried with its id. Returns lost. */
export async function throughKills(cluster: NatsClusterHandle, sender: NatsConnection, receiver: NatsConnection): Promise<number> {
  await makeConsumer(receiver, 'bench-kills', subjects.agentInbox(REPO, 'kills'));
  const seen = new Set<string>();
  const loop = pullLoop(receiver, 'bench-kills', (msg) => seen.add(msg.headers?.get('Nats-Msg-Id') ?? ''));
  const acked = new Set<string>();
  const killAt = new Map([
    [Math.floor(KILL_STREAM / 4), 0],
    [Math.floor((KILL_STREAM * 3) / 4), 2],
  ]);
  for (let seq = 0; seq < KILL_STREAM; seq++) {
    const victim = killAt.get(seq);
    if (victim !== undefined) {
      const node = cluster.nodes[victim]!;
      await node.kill();
      console.log(`killed ${node.name} at message ${seq}`);
      void sleep(3_000).then(() => node.start().then(() => console.log(`${node.name} back`)));
    }
    const message = routedMessage('kills', seq);
    for (let attempt = 0; ; attempt++) {
      try {
        await publishToInbox(sender, message, traceparentFor(newTraceId()), 2_000, ANONYMOUS_SENDER);
        acked.add(message.id);
        break;
      } catch (error) {
        if (attempt > 60) throw error;
        await sleep(250);
      }
    }
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && [...acked].some((id) => !seen.has(id))) await sleep(100);
  loop.stop();
  const missing = [...acked].filter((id) => !seen.has(id));
  if (missing.length > 0) {
    const info = await (await receiver.jetstreamManager()).consumers.info(MESSAGE_STREAM, 'bench-kills').catch((error: unknown) => String(error));
    const order = [...acked];
    const positions = missing.map((id) => order.indexOf(id));
    const state = typeof info === 'string' ? info : JSON.stringify({ delivered: info.delivered, ack_floor: info.ack_floor, num_pending: info.num_pending, num_ack_pending: info.num_ack_pending, num_redelivered: info.num_redelivered, cluster: info.cluster });
    console.log(`lost ${missing.length}: messages #${positions[0]}..#${positions[positions.length - 1]} of the stream; consumer ${state}`);
  }
  return missing.length;
}

