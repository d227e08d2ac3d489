/**
 * The coordinator: connects to NATS, makes sure the registry bucket and the message
 * stream exist, serves the request endpoints, sweeps liveness, and runs the team's
 * agents and spawned workers.
 *
 * Everything it knows lives in JetStream, so a restarted coordinator (or a second one
 * in the queue group) picks up where another left off.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { NatsConnection, Service } from 'nats.ws';
import { Events } from 'nats.ws';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { connectWs, ensureKvBucket } from '../core/remote/index.js';
import { VERSION } from '../core/version.js';
import type { CoordinatorEndpoint } from '../shared/coordinator-protocol.js';
import type { SpawnResponse } from '../shared/domain.js';
import { COORDINATOR_BUCKET } from '../shared/nats-subjects.js';
import type { CoordinatorConfig } from './config.js';
import { Identities } from './identities.js';
import { startSweeper } from './liveness.js';
import type { Logger } from './log.js';
import { jsonLogger } from './log.js';
import { ensureMessageStream } from './message-stream.js';
import { RegistryStore } from './registry-store.js';
import type { OpsContext } from './registry-ops.js';
import { QuotaQueue } from './quota-queue.js';
import { startCoordinatorService } from './service.js';
import type { AgentRunner } from './spawner.js';
import { Spawner } from './spawner.js';
import { TaskBucket } from './task-bucket.js';
import type { TeamSpawnRules } from './team-spawn-rules.js';
import { teamSpawnRules } from './team-spawn-rules.js';
import { OwnAgents } from './own-agents.js';
import { CoordinatorMetrics } from './coordinator-metrics.js';
import type { MetricsServer } from '../core/metrics/metrics-http.js';
import { startMetricsServer } from '../core/metrics/metrics-http.js';
import { ContextBucket } from './context-bucket.js';
import { Presence, retireOrphans } from './presence.js';

export interface Coordinator {
  readonly instance: string;
  readonly nc: NatsConnection;
  readonly store: RegistryStore;
  /** The team's blackboard bucket (docs/blackboard.md). */
  readonly context: ContextBucket;
  /** Requests handled per endpoint by this instance. */
  readonly handled: Readonly<Record<CoordinatorEndpoint, number>>;
  /** Spawns a worker on behalf of a team agent (its `spawn` line), as the team's owner. */
  spawnAsTeam(repo: string, from: string, task: string): Promise<SpawnResponse>;
  /** Its Prometheus metrics; `metricsUrl` is where they are served when `metrics.listen` is set. */
  readonly metrics: CoordinatorMetrics;
  readonly metricsUrl: string | undefined;
  /** Re-reads the tokens file (also on SIGHUP in main.ts). */
  reloadIdentities(): void;
  close(): Promise<void>;
}

export interface CoordinatorOptions {
  log?: Logger;
  clock?: Clock;
  /** Runs team agents and workers; main.ts supplies the process runner. */
  runner?: AgentRunner;
}

export async function startCoordinator(config: CoordinatorConfig, options: CoordinatorOptions = {}): Promise<Coordinator> {
  const log = options.log ?? jsonLogger('coordinator');
  const clock = options.clock ?? systemClock;
  const instance = instanceNameOf(config);
  /**
   * The team owner is the sender token the coordinator publishes its agents' messages
   * under; a member by that name could speak for every team agent (docs/nats.md).
   */
  const loadIdentities = () => {
    const loaded = Identities.fromFile(config.tokensFile);
    if (loaded.users().includes(config.team.owner)) {
      throw new Error(`the tokens file gives a token to "${config.team.owner}", the team owner (team.owner): rename that user or set another team.owner`);
    }
    return loaded;
  };
  let identities = loadIdentities();
  const served = config.repos.length > 0 ? new Set(config.repos) : undefined;

  const nc = await connectWs({
    servers: config.nats.servers,
    ...(config.nats.token ? { token: config.nats.token } : {}),
    ...(config.nats.user ? { user: config.nats.user, pass: config.nats.pass } : {}),
    name: `${config.nats.name}:${instance}`,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
    pingInterval: 5_000,
    maxPingOut: 2,
  });
  let service: Service | undefined;
  let stopSweeper: (() => void) | undefined;
  let own: OwnAgents | undefined;
  let metricsServer: MetricsEndpoint = METRICS_OFF;
  let context: ContextBucket | undefined;
  let presence: Presence | undefined;
  let spawnRules: TeamSpawnRules | undefined;
  try {
    await ensureMessageStream(nc, config.stream, log);
    const store = await RegistryStore.open(nc, { history: config.stream.registryHistory, log, replicas: config.stream.replicas });
    const handled: Record<CoordinatorEndpoint, number> = { register: 0, deregister: 0, heartbeat: 0, spawn: 0, status: 0, context: 0, taskPut: 0 };
    context = await ContextBucket.open(nc, { store, clock, served, log, replicas: config.stream.replicas });
    const board = context;
    const quotaQueue = new QuotaQueue();
    const ops: OpsContext = {
      store,
      clock,
      served,
      quotaQueue,
      rules: { requireUserPrefix: config.requireUserPrefix, teamAgents: new Set(config.team.agents), instancePrefix: `${instance}/` },
      quotas: config.quotas,
    };
    const metrics = new CoordinatorMetrics({ store, nc: () => nc, consumers: consumersOf(options.runner), instance, version: VERSION });
    const counters = await ensureKvBucket(nc, COORDINATOR_BUCKET, { history: 1 }, { replicas: config.stream.replicas, log });
    presence = await Presence.start(counters, instance, clock, config.liveness, log);
    const alive = presence;
    const tasks = await TaskBucket.open(nc, { replicas: config.stream.replicas, log });
    const spawner = new Spawner({
      counters,
      store,
      clock,
      served,
      runner: options.runner,
      instance,
      maxWorkers: config.team.maxWorkers,
      quotas: config.quotas,
      log,
      presence: alive,
      quotaQueue,
    });
    spawnRules = teamSpawnRules({ rules: config.spawnRules, bucket: tasks, store, served, clock, log, spawner, teamOwner: config.team.owner });
    const ruled = spawnRules;
    own = new OwnAgents({ store, clock, instance, runner: options.runner, spawner, config, served: served ?? new Set(identities.repos()), log });
    options.runner?.attach?.(nc, {
      ownerOf: (repo, name) => store.get(repo, name)?.info.owner,
      // A coordinator without a NATS user runs on a server-token deployment (docs/nats.md).
      anonymousAllowed: config.nats.user === undefined,
      countMessage: (direction, outcome) => metrics.message(direction, outcome),
      agents: () => [...store.all()].map(({ info }) => info),
      onRegistryChange: (listener) => void store.onChange(listener),
      tasks,
    });
    service = await startCoordinatorService(nc, {
      ops,
      identities: () => identities,
      spawner: ruled.guard(spawner),
      context: board,
      tasks,
      log,
      version: VERSION,
      instance,
      handled,
      metrics,
    });
    // After each sweep: say we are alive, retire what dead coordinators left, run our own agents.
    stopSweeper = startSweeper(
      store,
      config.liveness,
      clock,
      served,
      log,
      async () => {
        await alive.beat();
        await retireOrphans(store, alive, clock, served, log);
        await own!.tick();
      },
      (seconds, result) => metrics.sweep(seconds, result),
    );
    board.startSweep(config.liveness.sweepIntervalMs);
    metricsServer = await serveMetrics(config, metrics);
    void watchStatus(nc, [store, board], log);
    await own.tick();
    await spawnRules.start();
    const metricsUrl = metricsServer.url;
    log.info('coordinator ready', { instance, servers: config.nats.servers, repos: served ? [...served] : 'all', metrics: metricsUrl });

    let closed = false;
    return {
      instance,
      nc,
      store,
      context: board,
      handled,
      metrics,
      metricsUrl,
      spawnAsTeam: (repo, from, task) =>
        metrics.countSpawn('team', () =>
          spawner.spawn({ user: config.team.owner, role: 'admin', repos: ['*'] }, repo, { repo, task, spawnedBy: from, metadata: {} }, { asTeam: true }),
        ),
      reloadIdentities() {
        identities = loadIdentities();
        log.info('tokens file reloaded', { instance });
      },
      async close() {
        if (closed) return;
        closed = true;
        stopSweeper?.();
        await metricsServer.close();
        spawnRules?.close();
        await own?.close();
        await service?.stop().catch(() => undefined);
        await presence?.leave();
        store.close();
        board.close();
        await nc.drain().catch(() => nc.close());
      },
    };
  } catch (error) {
    // The spawn rules' watch ends with the connection.
    stopSweeper?.();
    await metricsServer.close();
    context?.close();
    await own?.close();
    await nc.close();
    throw error;
  }
}

/** The inbox consumers of the agents the runner runs (none without a runner). */
function consumersOf(runner: AgentRunner | undefined): () => Array<{ repo: string; durable: string }> {
  return () => runner?.consumers?.() ?? [];
}

type MetricsEndpoint = Pick<MetricsServer, 'close'> & { url: string | undefined };
const METRICS_OFF: MetricsEndpoint = { url: undefined, close: () => Promise.resolve() };

/** `/metrics` when the config asks for it (`metrics.listen`, docs/coordinator.md). */
function serveMetrics(config: CoordinatorConfig, metrics: CoordinatorMetrics): Promise<MetricsEndpoint> {
  return config.metrics.listen ? startMetricsServer(metrics.registry, config.metrics.listen) : Promise.resolve(METRICS_OFF);
}

/** The configured instance name, or one unique to this process. */
function instanceNameOf(config: CoordinatorConfig): string {
  return config.instanceName ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** After a reconnect the server may have lost our watch consumers: the registry and the blackboard follow their buckets afresh. */
async function watchStatus(nc: NatsConnection, followers: Array<{ resync(): Promise<void> }>, log: Logger): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === Events.Reconnect) {
      log.info('reconnected to NATS', { server: String(status.data) });
      for (const follower of followers) follower.resync().catch((error: unknown) => log.warn('bucket resync failed', { error: String(error) }));
    } else if (status.type === Events.Disconnect) {
      log.warn('disconnected from NATS', { server: String(status.data) });
    }
  }
}
