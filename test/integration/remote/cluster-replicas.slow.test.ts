/**
 * Streams and buckets on a 3-node cluster are kept on three nodes (R3), on one server on
 * one (R1), and a bucket made before with one replica is raised to three
 * (src/core/remote/jetstream-store.ts, docs/nats.md "A 3-node cluster").
 */
import type { NatsConnection } from 'nats.ws';
import { afterEach, describe, expect, it } from 'vitest';
import { connectWs } from '../../../src/core/remote/nats-ws.js';
import { ensureKvBucket } from '../../../src/core/remote/jetstream-store.js';
import { ensureMessageStream } from '../../../src/server/message-stream.js';
import { RegistryStore } from '../../../src/server/registry-store.js';
import { StreamSettings } from '../../../src/server/config.js';
import { memoryLogger } from '../../../src/server/log.js';
import { COORDINATOR_BUCKET, MESSAGE_STREAM, REGISTRY_BUCKET } from '../../../src/shared/nats-subjects.js';
import type { NatsClusterHandle } from '../../helpers/nats-cluster.js';
import { startNatsCluster } from '../../helpers/nats-cluster.js';
import type { NatsServerHandle } from '../../helpers/nats-server.js';
import { startNatsServer } from '../../helpers/nats-server.js';

const settings = StreamSettings.parse({ maxBytes: 16 * 1024 * 1024 });

async function replicasOf(nc: NatsConnection, stream: string): Promise<number> {
  const jsm = await nc.jetstreamManager();
  return (await jsm.streams.info(stream)).config.num_replicas;
}

describe('replicas of our streams and buckets', () => {
  let cluster: NatsClusterHandle | undefined;
  let single: NatsServerHandle | undefined;
  let nc: NatsConnection | undefined;
  afterEach(async () => {
    await nc?.close().catch(() => undefined);
    await cluster?.dispose();
    await single?.dispose();
    cluster = single = nc = undefined;
  });

  it('are R3 on a 3-node cluster, and a bucket made with one replica is raised to three', async () => {
    cluster = await startNatsCluster();
    nc = await connectWs({ servers: cluster.wsUrls, token: cluster.token });
    const log = memoryLogger();
    // Made before, by an older coordinator, with one copy.
    await nc.jetstream().views.kv(COORDINATOR_BUCKET, { history: 1, replicas: 1 });
    expect(await replicasOf(nc, `KV_${COORDINATOR_BUCKET}`)).toBe(1);

    await ensureMessageStream(nc, settings, log);
    const store = await RegistryStore.open(nc, { history: 1, log });
    await ensureKvBucket(nc, COORDINATOR_BUCKET, { history: 1 }, { log });
    store.close();

    expect(await replicasOf(nc, MESSAGE_STREAM)).toBe(3);
    expect(await replicasOf(nc, `KV_${REGISTRY_BUCKET}`)).toBe(3);
    expect(await replicasOf(nc, `KV_${COORDINATOR_BUCKET}`)).toBe(3);
    expect(log.lines.some((line) => line.includes('stream replicas raised'))).toBe(true);
  }, 90_000);

  it('are R1 on one server', async () => {
    single = await startNatsServer();
    nc = await connectWs({ servers: [single.wsUrl], token: single.token });
    await ensureMessageStream(nc, settings, memoryLogger());
    const store = await RegistryStore.open(nc, { history: 1, log: memoryLogger() });
    store.close();
    expect(await replicasOf(nc, MESSAGE_STREAM)).toBe(1);
    expect(await replicasOf(nc, `KV_${REGISTRY_BUCKET}`)).toBe(1);
  }, 30_000);
});
