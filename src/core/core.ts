/**
 * The engine behind both hosts: opens the database, composes the stores and services,
 * and answers the contract. Plain Node, never Electron.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';
import { PARTICIPANT_NAME } from '../shared/coding.js';
import type { HybridConfig } from '../shared/config.js';
import type { EventName, EventPayload } from '../shared/contract.js';
import type { GatewaySettings, LocalAgents, SupervisorTimings } from './agents/index.js';
import { agentHandlers, createLocalAgents } from './agents/index.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { ConnectionTracker } from './connection-tracker.js';
import { openDatabase } from './db/database.js';
import { ensurePrivateDir } from './private-files.js';
import type { Handlers } from './dispatch.js';
import { dispatch } from './dispatch.js';
import { EventHub } from './events.js';
import type { Routing } from './router/index.js';
import { createRouting } from './router/index.js';
import type { AgentRegistry } from './registry/index.js';
import { createSqliteRegistry, repoView } from './registry/index.js';
import type { SecretStore } from './settings/secret-store.js';
import { FileSecretStore } from './settings/secret-store.js';
import { applyConnectionPhase, configHandlers } from './settings/config-handlers.js';
import { SettingsStore } from './settings/settings-store.js';
import { systemInfo } from './version.js';
import { workspaceHandlers } from './workspaces/index.js';
import { Participant } from './participant/index.js';
import { DesiredAgents, desiredHandlers, resumeDesired } from './desired/index.js';
import type { LinkTiming, RemoteLink } from './remote/index.js';
import { RemoteLinkSwitch, desktopIdOf } from './remote/index.js';
import type { ProblemThresholds, Problems } from './problems/index.js';
import { createProblems, thresholdsOf } from './problems/index.js';
import { Blackboard, contextHandlers } from './blackboard/index.js';
import type { DesktopTasks } from './tasks/index.js';
import { createDesktopTasks } from './tasks/index.js';
import { metricsPortFor, startCoreMetrics } from './metrics/index.js';

export interface CoreOptions {
  /** Folder for the database, the gateway token and the default token file. */
  dataDir: string;
  host?: 'electron' | 'headless';
  /** Where the API token lives; a 0600 file in dataDir by default. */
  secrets?: SecretStore;
  /** better-sqlite3 build to load (the Electron host's own). */
  nativeBinding?: string;
  clock?: Clock;
  /** The environment to read overrides from (SWITCHYARD_API_TOKEN); process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** The remote link's timings (tests shorten them); see src/core/remote. */
  remote?: { timing?: Partial<LinkTiming> };
  /** Local agents: manifest folders, the gateway (`false` turns it off), supervision timings. */
  agents?: {
    /** Shipped manifests; resources/agents of this checkout or build by default. */
    builtinManifestDir?: string;
    /** The user's manifests; `<dataDir>/agents` by default. */
    userManifestDir?: string;
    gateway?: GatewaySettings | false;
    timings?: Partial<SupervisorTimings>;
  };
  /** When the link down and the outbox become problems; from the environment by default (docs/configuration.md). */
  problems?: Partial<ProblemThresholds>;
  /**
   * A config to adopt before anything starts, in place of the stored one: a desktop's
   * other repos follow its primary's config with their own `repo` (src/core/desktop).
   */
  config?: HybridConfig;
  /** Prometheus /metrics on 127.0.0.1 at this port (0: a free one); SWITCHYARD_METRICS_PORT when unset; `false`: off. */
  metricsPort?: number | false;
}

export interface Core {
  readonly dataDir: string;
  readonly handlers: Handlers;
  readonly registry: AgentRegistry;
  /** Supervised and gateway agents on this machine. */
  readonly localAgents: LocalAgents;
  /** The link to the team's coordination service; stable across config changes (the router publishes over it). */
  readonly remote: RemoteLink;
  /** The router, its traces and spawn placement. */
  readonly routing: Routing;
  /** Problems said aloud: the notification centre's list. */
  readonly problems: Problems;
  /** The hybrid config in force (its `repo` is this core's scope). */
  config(): HybridConfig;
  /**
   * Takes a config as given, token untouched and unchecked: how a desktop's other repos
   * follow the primary's `config.set` (which did the checks).
   */
  adopt(config: HybridConfig): void;
  /** Tasks this desktop requested or mirrors, and its spawn rules. */
  readonly tasks: DesktopTasks;
  /** Where /metrics is served (opt-in, docs/configuration.md); undefined when off. */
  readonly metricsUrl: string | undefined;
  /** Runs one contract call from an untrusted sender. */
  call(call: unknown, input: unknown): ReturnType<typeof dispatch>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  close(): Promise<void>;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  // The folder holds the database, tokens and traces: owner-only, even if it already existed.
  ensurePrivateDir(options.dataDir);
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  const db: Database = openDatabase(join(options.dataDir, 'switchyard.db'), {
    nativeBinding: options.nativeBinding,
  });
  const hub = new EventHub();
  const env = options.env ?? process.env;
  const settings = new SettingsStore(db);
  if (options.config) settings.saveHybridConfig(options.config, clock.now());
  // Before the link and the agents start, so their first problems are caught.
  // The router comes later (it needs the link); the outbox watch reads it once it exists.
  const late: { routing?: Routing; tasks?: DesktopTasks } = {};
  const problems = createProblems({
    clock,
    thresholds: thresholdsOf(env, options.problems),
    repo: () => settings.hybridConfig().repo,
    outbox: () => late.routing?.router.outbox,
    emit: (change) => hub.emit('problems.changed', change),
  });
  const secrets = options.secrets ?? new FileSecretStore(join(options.dataDir, 'api-token'), options.env);
  const connection = new ConnectionTracker(hub, clock);
  const stopLinkWatch = hub.on('connection.changed', (state) => problems.connection(state));
  const registry = createSqliteRegistry(db, { clock });
  const stopFeed = registry.onChange((batch) => {
    hub.emit('agents.changed', batch);
    problems.agents(batch);
  });
  const localAgents = await createLocalAgents({
    registry,
    dataDir: options.dataDir,
    repo: () => settings.hybridConfig().repo,
    clock,
    // src/core/core.ts and the bundled out/main/index.js both sit two levels below the root.
    builtinManifestDir: options.agents?.builtinManifestDir ?? fileURLToPath(new URL('../../resources/agents', import.meta.url)),
    userManifestDir: options.agents?.userManifestDir,
    gateway: options.agents?.gateway,
    timings: options.agents?.timings,
    // The person at the desktop decides its own agents' tool approvals (src/core/coding/approver.ts).
    approver: PARTICIPANT_NAME,
  });

  applyConnectionPhase(connection, settings.hybridConfig());
  const remote = new RemoteLinkSwitch({
    registry,
    desktopId: desktopIdOf(options.dataDir),
    onState: (phase, change) => connection.update(phase, change),
    timing: options.remote?.timing,
    log: (message) => console.warn(`[switchyard] remote: ${message}`),
    onProblem: (problem) => problems.link(problem),
  });
  remote.apply(settings.hybridConfig(), secrets.get());
  // The router takes every send and spawn of the local agents and answers the routing
  // calls. It reads the config per message, so it gets a cached copy, not a parse.
  let routingConfig = settings.hybridConfig();
  const routing = createRouting({
    db,
    registry,
    localAgents,
    remote,
    config: () => routingConfig,
    token: () => secrets.get(),
    emit: (batch) => {
      hub.emit('messages.routed', batch);
      late.tasks?.tracesRouted(batch.items);
      problems.checkOutbox();
    },
    clock,
    nativeBinding: options.nativeBinding,
    onProblem: (problem) => problems.routing(problem),
  });
  // The person at the desktop: the `user` endpoint, their conversations, approvals, usage.
  const participant = new Participant({
    db,
    clock,
    localAgents,
    routing,
    repo: routingConfig.repo,
    emit: (event, payload) => hub.emit(event, payload),
  });
  late.routing = routing;
  problems.checkOutbox();
  // The blackboard: the team's with hybrid on, this desktop's own otherwise (docs/blackboard.md).
  const blackboard = new Blackboard({
    db,
    clock,
    registry,
    owner: localAgents.owner,
    config: () => routingConfig,
    remote,
    token: () => secrets.get(),
    emit: (changed) => hub.emit('context.changed', changed),
    log: (message) => console.warn(`[switchyard] blackboard: ${message}`),
  });
  localAgents.attachContext(blackboard);
  const tasks = createDesktopTasks({
    db,
    clock,
    repo: () => routingConfig.repo,
    registry,
    localAgents,
    routing,
    remote,
    hybridEnabled: () => routingConfig.enabled,
    token: () => secrets.get(),
    emit: (upserts) => hub.emit('tasks.changed', { upserts }),
  });
  late.tasks = tasks;
  const metrics = await startCoreMetrics({ db, clock, registry, routing, repo: () => routingConfig.repo, port: metricsPortFor(options.metricsPort, env) });

  const adopt = (config: HybridConfig): void => {
    settings.saveHybridConfig(config, clock.now());
    routingConfig = settings.hybridConfig();
    participant.setRepo(routingConfig.repo);
    applyConnectionPhase(connection, config);
    // A new config (or token) ends an auth-failed wait: the link starts over.
    remote.apply(config, secrets.get());
  };
  const desired = new DesiredAgents(db);
  const handlers: Handlers = {
    'system.info': () => systemInfo(options.host ?? 'headless', startedAt),
    ...configHandlers({ settings, secrets, env, connection, adopt }),
    'agents.list': (query) => registry.discover(query ?? {}),
    'agents.get': (ref) => registry.get(ref) ?? null,
    'agents.select': ({ query, strategy }) => registry.select(query, strategy),
    ...agentHandlers(localAgents),
    ...routing.handlers,
    // After the local-agent handlers: start, stop, restart and scale are placed and remembered.
    ...desiredHandlers({
      local: agentHandlers(localAgents),
      desired,
      config: () => routingConfig,
      clock,
      hasManifest: (type) => localAgents.manifests().manifests.some((m) => m.manifest.type === type),
      remote: {
        config: () => routingConfig,
        spawn: (input) => routing.spawner.spawn(input),
        registry,
        clock,
      },
    }),
    ...workspaceHandlers(),
    ...participant.handlers,
    ...problems.handlers,
    // A desktop of several repos answers for all of them (src/core/desktop); one core, for its own.
    'repos.list': () => [repoView(registry, routingConfig.repo, true)],
    ...contextHandlers(blackboard),
    // After the routing's: `agents.spawn` is checked against the spawn rules first.
    ...tasks.handlers,
    ...metrics.handlers,
  };

  // What the user had running before this launch (a crash or kill -9 included) starts again.
  const resuming = resumeDesired({
    desired,
    config: routingConfig,
    start: (type, name, startSettings) => localAgents.start(type, name, startSettings),
    clock,
    report: (message) => console.warn(`[switchyard] agents: ${message}`),
  });

  let closed = false;
  return {
    dataDir: options.dataDir,
    handlers,
    registry,
    localAgents,
    remote,
    routing,
    problems,
    config: () => routingConfig,
    adopt,
    tasks,
    metricsUrl: metrics.url,
    call: (call, input) => dispatch(handlers, call, input),
    on: (event, listener) => hub.on(event, listener),
    async close() {
      if (closed) return;
      closed = true;
      // Agents first: stopping them writes their final state to the registry.
      await resuming;
      tasks.close();
      await routing.close();
      participant.close();
      await localAgents.stopAll();
      blackboard.close();
      // After the agents stopped: their last intervals end with them.
      await metrics.close();
      await remote.close();
      problems.close();
      stopLinkWatch();
      stopFeed();
      db.close();
    },
  };
}
