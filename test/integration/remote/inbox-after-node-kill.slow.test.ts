/**
 * An inbox read by the router's consumers (inbound-consumers.ts) resumes promptly after
 * the cluster node it reads through — and that leads its consumer — is killed.
 *
 * nats.ws pulls again when its connection comes back, but that pull can reach the
 * consumer while its new leader is still being elected and be dropped; the client then
 * notices only after two missed idle heartbeats. With nats.ws's default pull (30 s) the
 * inbox stayed silent for ~30 s after the kill (`npm run bench -- scale` counted its
 * messages as lost); with INBOX_PULL it resumes in ~10 s (the election, then one missed
 * pull). The deadline below sits between the two.
 */
import type { JsMsg, NatsConnection } from 'nats.ws';
import { RetentionPolicy, StorageType } from 'nats.ws';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureStream } from '../../../src/core/remote/jetstream-store.js';
import { connectWs } from '../../../src/core/remote/nats-ws.js';
import { InboundConsumers } from '../../../src/core/router/inbound-consumers.js';
import { ANONYMOUS_SENDER, MESSAGE_STREAM, agentInboxConsumer, subjects } from '../../../src/shared/nats-subjects.js';
import { eventually } from '../../helpers/eventually.js';
import type { NatsClusterHandle } from '../../helpers/nats-cluster.js';
import { startNatsCluster } from '../../helpers/nats-cluster.js';

const REPO = 'killnode';
/** Well under nats.ws's default 30 s pull, well over an election plus one INBOX_PULL. */
const RESUME_DEADLINE_MS = 25_000;

describe('an inbox after its node is killed', () => {
  let cluster: NatsClusterHandle | undefined;
  const conns: NatsConnection[] = [];
  let consumers: InboundConsumers | undefined;
  afterEach(async () => {
    consumers?.detach();
    for (const nc of conns.splice(0)) await nc.close().catch(() => undefined);
    await cluster?.dispose();
  });

  it('delivers a message published after the kill within seconds, not after the 30 s pull', async () => {
    cluster = await startNatsCluster();
    const admin = await connectWs({ servers: cluster.wsUrls, token: cluster.token, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    conns.push(admin);
    await ensureStream(admin, { name: MESSAGE_STREAM, subjects: [subjects.everyInbox()], retention: RetentionPolicy.Limits, storage: StorageType.File });

    const seen: string[] = [];
    consumers = new InboundConsumers({
      handle: async (msg: JsMsg) => {
        seen.push(new TextDecoder().decode(msg.data));
      },
    });
    const spec = agentInboxConsumer(REPO, 'echo');
    const publish = async (text: string) => {
      // A publish during the election may fail: retried with the same id, as the outbox does.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.jetstream().publish(subjects.inbox(REPO, ANONYMOUS_SENDER, 'echo'), new TextEncoder().encode(text), { msgID: text, timeout: 2_000 });
          return;
        } catch (error) {
          if (attempt > 60) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    };

    // First read through any node, to learn which node leads the consumer.
    const first = await connectWs({ servers: cluster.wsUrls, token: cluster.token });
    conns.push(first);
    consumers.attach(first, [{ ...spec, label: 'echo' }]);
    await publish('before');
    await eventually(() => seen.includes('before'), 20_000, 'the first message read');
    const leader = (await (await admin.jetstreamManager()).consumers.info(MESSAGE_STREAM, spec.durable)).cluster?.leader;
    const node = cluster.nodes.find((candidate) => candidate.name === leader);
    expect(node, `consumer leader ${String(leader)}`).toBeDefined();

    // Now read through the leader's node, with the others to reconnect to.
    const reader = await connectWs({
      servers: [node!.wsUrl, ...cluster.wsUrls.filter((url) => url !== node!.wsUrl)],
      token: cluster.token,
      noRandomize: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    conns.push(reader);
    consumers.attach(reader, [{ ...spec, label: 'echo' }]);
    await publish('attached');
    await eventually(() => seen.includes('attached'), 20_000, 'read through the leader node');

    await node!.kill();
    await publish('after');
    const published = performance.now();
    await eventually(() => seen.includes('after'), RESUME_DEADLINE_MS, `the message published after killing ${node!.name} read`);
    const waited = performance.now() - published;
    expect(waited, `read ${Math.round(waited)} ms after the publish`).toBeLessThan(RESUME_DEADLINE_MS);
    expect(seen.filter((text) => text === 'after')).toHaveLength(1);
  }, 120_000);
});
