/**
 * The one place our JetStream streams and KV buckets are created: with replicas.
 *
 * On a cluster of three or more nodes every stream and bucket is kept on three of them
 * (R3), so losing a node loses nothing and the survivors elect a new leader; on a single
 * server, R1. A `replicas` setting (the coordinator's `stream.replicas`) overrides the
 * discovery. An existing stream or bucket with fewer replicas than wanted is raised to
 * them (nats-server moves the data itself); when the server refuses (too few nodes up),
 * it is kept as it is and the log says so. Creating a new one asks for R3 and, when the
 * cluster cannot place three copies, settles for R1 with a warning rather than not
 * starting at all.
 *
 * Use `ensureKvBucket` for a bucket (sy-registry, sy-coordinator, and new ones such as
 * sy-tasks or sy-context) and `ensureStream` for a stream (SY_MESSAGES).
 */
import type { JetStreamManager, KV, KvOptions, NatsConnection, StreamConfig, StreamInfo, StreamUpdateConfig } from 'nats.ws';

/** What the helpers log (the coordinator's Logger fits). */
export interface StoreLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface ReplicaOptions {
  /** Replicas to use; discovered from the server when absent. */
  replicas?: number;
  log?: StoreLog;
  /** How long to wait for JetStream to answer (a new cluster elects its meta leader first). */
  readyTimeoutMs?: number;
}

/** The replica count a cluster of `nodes` servers supports: 3 from three nodes up, else 1. */
export function replicasForNodes(nodes: number): number {
  return nodes >= 3 ? 3 : 1;
}

/**
 * How many servers the connection's cluster has, from the server's INFO: `connect_urls`
 * lists every node's client (or WebSocket) URL; a server outside a cluster has none.
 */
export function clusterSize(nc: NatsConnection): number {
  const info = nc.info;
  if (!info?.cluster) return 1;
  return Math.max(1, new Set(info.connect_urls ?? []).size);
}

/** The replicas for new streams and buckets: the setting, or R3 on a cluster of three or more. */
export function wantedReplicas(nc: NatsConnection, setting?: number): number {
  return setting ?? replicasForNodes(clusterSize(nc));
}

/** The JetStream manager once JetStream answers (a fresh cluster needs a few seconds for its meta leader). */
export async function readyJetStream(nc: NatsConnection, timeoutMs = 30_000): Promise<JetStreamManager> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await nc.jetstreamManager({ timeout: Math.min(2_000, Math.max(250, deadline - Date.now())) });
    } catch (error) {
      if (Date.now() >= deadline || nc.isClosed()) throw error;
    }
  }
}

/** The server could not place the replicas asked for (too few nodes, or not clustered). */
function isPlacementError(error: unknown): boolean {
  return /insufficient resources|replicas > 1 not supported|no suitable peers|10005|10074/i.test(String(error));
}

/** Raises an existing stream's replicas to `wanted`; logs and keeps it when the server refuses. */
async function raiseReplicas(jsm: JetStreamManager, info: StreamInfo, wanted: number, log: StoreLog | undefined): Promise<StreamInfo> {
  const have = info.config.num_replicas ?? 1;
  if (have >= wanted) return info;
  try {
    const updated = await jsm.streams.update(info.config.name, { ...(info.config as StreamUpdateConfig), num_replicas: wanted });
    log?.info('stream replicas raised', { stream: info.config.name, from: have, to: wanted });
    return updated;
  } catch (error) {
    log?.warn('stream has fewer replicas than wanted; kept as it is', { stream: info.config.name, replicas: have, wanted, error: String(error) });
    return info;
  }
}

/**
 * Creates a stream with the wanted replicas, or returns the existing one after raising
 * its replicas (other differences are the caller's to reconcile).
 */
export async function ensureStream(
  nc: NatsConnection,
  config: Partial<StreamConfig> & { name: string },
  options: ReplicaOptions = {},
): Promise<{ info: StreamInfo; created: boolean }> {
  const jsm = await readyJetStream(nc, options.readyTimeoutMs);
  const wanted = wantedReplicas(nc, options.replicas);
  try {
    const info = await jsm.streams.info(config.name);
    return { info: await raiseReplicas(jsm, info, wanted, options.log), created: false };
  } catch (error) {
    if (!/stream not found/i.test(String(error))) throw error;
  }
  try {
    return { info: await jsm.streams.add({ ...config, num_replicas: wanted }), created: true };
  } catch (error) {
    if (wanted === 1 || !isPlacementError(error)) throw error;
    options.log?.warn('cannot place the stream on enough nodes; created with one replica', { stream: config.name, wanted, error: String(error) });
    return { info: await jsm.streams.add({ ...config, num_replicas: 1 }), created: true };
  }
}

/** Creates (or binds to) a KV bucket with the wanted replicas, raising an existing bucket's. */
export async function ensureKvBucket(nc: NatsConnection, name: string, kvOptions: Partial<KvOptions> = {}, options: ReplicaOptions = {}): Promise<KV> {
  const jsm = await readyJetStream(nc, options.readyTimeoutMs);
  const wanted = wantedReplicas(nc, options.replicas);
  const js = nc.jetstream();
  let kv: KV;
  try {
    kv = await js.views.kv(name, { ...kvOptions, replicas: wanted });
  } catch (error) {
    if (wanted === 1 || !isPlacementError(error)) throw error;
    options.log?.warn('cannot place the bucket on enough nodes; created with one replica', { bucket: name, wanted, error: String(error) });
    kv = await js.views.kv(name, { ...kvOptions, replicas: 1 });
  }
  const info = (await kv.status()).streamInfo;
  await raiseReplicas(jsm, info, wanted, options.log);
  return kv;
}
