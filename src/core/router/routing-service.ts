/**
 * The router composed for a core: traces, router, spawn placement, the local agents'
 * outbound requests wired in, and the contract handlers core.ts spreads into its table.
 */
import type { Database } from 'better-sqlite3';
import type { HybridConfig } from '../../shared/config.js';
import type { RoutedMessage } from '../../shared/domain.js';
import type { MessagesRouted } from '../../shared/routing-contract.js';
import type { ProtocolErrorCode } from '../../shared/agent-protocol.js';
import { RemoteUnavailable } from '../../shared/errors.js';
import type { Clock } from '../clock.js';
import type { Handlers } from '../dispatch.js';
import type { LocalAgents } from '../agents/index.js';
import type { AgentRegistry } from '../registry/index.js';
import type { TraceStoreOptions } from '../traces/trace-store.js';
import { TraceStore } from '../traces/trace-store.js';
import type { RouterOptions } from './router.js';
import { Router } from './router.js';
import { SpawnPlacement } from './spawn-placement.js';
import { TypeFallback } from './type-fallback.js';
import { Dispatcher } from './dispatcher.js';
import { WorkloadLedger } from './workload.js';
import type { RemoteTransport, RouteOrigin } from './types.js';

export type RoutingCallName = 'messages.send' | 'traces.query' | 'traces.get' | 'agents.spawn';

export interface RoutingOptions {
  db: Database;
  registry: AgentRegistry;
  localAgents: LocalAgents;
  remote: RemoteTransport;
  config: () => HybridConfig;
  /** The API token: kept out of traces, sent in spawn request headers. */
  token: () => string | undefined;
  emit: (payload: MessagesRouted) => void;
  clock: Clock;
  nativeBinding?: string;
  /** Limits and retention overrides (tests, benchmarks, operators). */
  router?: Partial<Pick<RouterOptions, 'maxBodyBytes' | 'rateLimit' | 'defaultHoldTtlMs' | 'publishTimeoutMs' | 'retryIntervalMs'>>;
  traces?: Partial<Pick<TraceStoreOptions, 'maxMessages' | 'maxAgeMs' | 'bodyLimitBytes'>>;
  /** Failures the person should hear of (core.ts feeds the problem centre); they are logged too. */
  onProblem?: (problem: RoutingProblem) => void;
}

/**
 * Where a message was seen: `accepted` from a local source (an agent, the UI, the CLI),
 * or `delivered` to a local agent (from here or from NATS).
 */
export type MessageStage = 'accepted' | 'delivered';
/** A routing failure that would otherwise reach no one: the router's own, a worker's lost task, an agent's failed spawn. */
export type RoutingProblem =
  | { kind: 'error'; error: unknown }
  | { kind: 'traces'; error: unknown }
  | { kind: 'worker-task'; repo: string; worker: string; error: unknown }
  | { kind: 'spawn-failed'; repo: string; by: string; type: string; error: unknown; atTeam: boolean };

export interface Routing {
  router: Router;
  traces: TraceStore;
  spawner: SpawnPlacement;
  /** Open tasks per agent, as this router counts them (workload.ts). */
  workload: WorkloadLedger;
  /** Role sends and broadcasts, in front of the router (dispatcher.ts). */
  dispatcher: Dispatcher;
  handlers: Pick<Handlers, RoutingCallName>;
  /**
   * Watches the messages the router accepts and delivers (the person's conversations and
   * usage are kept from these). A message may be seen at both stages, and a delivery more
   * than once if it is retried: listeners keep what they need once, by message id.
   */
  onMessage(listener: (message: RoutedMessage, stage: MessageStage) => void): () => void;
  close(): Promise<void>;
}

export function createRouting(options: RoutingOptions): Routing {
  const { localAgents, clock } = options;
  const traces = new TraceStore(options.db, {
    clock,
    ...options.traces,
    secrets: () => [options.token()],
    onBatch: (items) => options.emit({ items }),
    onError: (error) => options.onProblem?.({ kind: 'traces', error }),
  });
  const fallbackAgents = new Set<string>();
  const watchers = new Set<(message: RoutedMessage, stage: MessageStage) => void>();
  const workload = new WorkloadLedger();
  const tell = (message: RoutedMessage, stage: MessageStage): void => {
    workload.observe(message);
    for (const watcher of watchers) {
      try {
        watcher(message, stage);
      } catch (error) {
        console.error('[switchyard] message watcher failed:', error);
      }
    }
  };
  const router = new Router({
    db: options.db,
    registry: options.registry,
    local: {
      deliver(message) {
        const delivered = localAgents.deliver(message);
        if (delivered) tell(message, 'delivered');
        return delivered;
      },
    },
    onAccepted: (message) => tell(message, 'accepted'),
    transport: options.remote,
    config: options.config,
    traces,
    clock,
    nativeBinding: options.nativeBinding,
    isFallback: (repo, name) => fallbackAgents.has(`${repo}/${name}`),
    onError: (error) => {
      console.warn('[switchyard] router:', error instanceof Error ? error.message : error);
      options.onProblem?.({ kind: 'error', error });
    },
    ...options.router,
  });
  const placement = new SpawnPlacement({
    config: options.config,
    fallbackAgents,
    connection: () => options.remote.connection(),
    token: options.token,
    startLocal: async (request) => {
      const info = await localAgents.start(request.type, request.name);
      // Marked before its task goes out, so that first message is routed `fallback` too.
      if (request.fallback) fallbackAgents.add(`${request.repo}/${info.name}`);
      if (request.assign === false) return { name: info.name, endpoint: info.endpoint };
      // A local worker learns its task as its first message, like a remote one would.
      await router
        .route(
          { to: info.name, repo: request.repo, kind: 'task.assigned', body: { task: request.task, metadata: request.metadata } },
          { source: 'agent', from: request.spawnedBy, ...(request.fallback ? { note: spawnFallbackNote(request.type, info.name) } : {}) },
        )
        .catch((error: unknown) => {
          console.warn('[switchyard] task for spawned worker:', (error as Error).message);
          options.onProblem?.({ kind: 'worker-task', repo: request.repo, worker: info.name, error });
        });
      return { name: info.name, endpoint: info.endpoint };
    },
  });

  // Messages to a remote team type while the team is away: a local stand-in serves them.
  // "Away" follows the link's own up and down events: while nats.ws reconnects it still
  // hands out its connection, though nothing reaches the team.
  let linkUp = options.remote.connection() !== undefined;
  const typeFallback = new TypeFallback({
    config: options.config,
    linkUp: () => options.config().enabled && linkUp,
    registry: options.registry,
    start: (type, name) => localAgents.start(type, name),
    stop: (name) => localAgents.stop(name),
    hasManifest: (type) => localAgents.manifests().manifests.some((m) => m.manifest.type === type),
    fallbackAgents,
    onError: (error) => console.warn('[switchyard] fallback:', error instanceof Error ? error.message : error),
  });
  const stopLinkUp = options.remote.onUp(() => {
    linkUp = true;
    typeFallback.linkUp();
  });
  const stopLinkDown = options.remote.onDown(() => {
    linkUp = false;
  });
  // Roles and broadcasts are resolved to names first; each name then takes the fallback and the router.
  const dispatcher = new Dispatcher({
    registry: options.registry,
    view: (repo, name) => router.view(repo, name),
    outbox: router.outbox,
    traces,
    workload,
    config: options.config,
    hostLocation: router.hostLocation,
    linkUp: () => options.config().enabled && linkUp,
    clock,
    maxBodyBytes: options.router?.maxBodyBytes,
    next: async (input, origin) => {
      const chosen = await typeFallback.redirect(input, origin);
      return router.route(chosen.input, chosen.origin);
    },
  });
  const route = (input: unknown, origin: RouteOrigin) => dispatcher.send(input, origin);

  const stopOutbound = localAgents.onOutbound(({ from, line }) => {
    if (line.type === 'spawn') {
      placement
        .spawn({ type: 'worker', task: line.task, repo: from.repo, spawnedBy: from.name, preferLocation: line.preferLocation, metadata: {} })
        .catch((error: unknown) => {
          localAgents.replyError(from.name, { code: codeOf(error), message: (error as Error).message, ...(line.id ? { ref: line.id } : {}) });
          // The agent hears of it, but the person would not: the centre says it too.
          const atTeam = placement.placement('worker', line.preferLocation) === 'remote' && !(error instanceof RemoteUnavailable);
          options.onProblem?.({ kind: 'spawn-failed', repo: from.repo, by: from.name, type: 'worker', error, atTeam });
        });
      return;
    }
    const { type: _type, ...request } = line;
    route({ ...request, repo: from.repo }, { source: 'agent', from: from.name })
      .catch((error: unknown) => localAgents.replyError(from.name, { code: codeOf(error), message: (error as Error).message, ...(line.id ? { ref: line.id } : {}) }));
  });

  const handlers: Pick<Handlers, RoutingCallName> = {
    'messages.send': (input) => route(input, { source: 'ui', from: input.from }),
    'traces.query': (query) => traces.query(query ?? {}),
    'traces.get': ({ id }) => traces.get(id),
    'agents.spawn': (input) =>
      placement.spawn({ type: input.type ?? 'worker', task: input.task, repo: input.repo, spawnedBy: input.spawnedBy ?? 'user', preferLocation: input.preferLocation, metadata: input.metadata ?? {} }),
  };

  return {
    router,
    traces,
    spawner: placement,
    workload,
    dispatcher,
    handlers,
    onMessage(listener) {
      watchers.add(listener);
      return () => watchers.delete(listener);
    },
    async close() {
      watchers.clear();
      stopOutbound();
      stopLinkUp();
      stopLinkDown();
      typeFallback.close();
      dispatcher.close();
      await router.close();
      traces.close();
    },
  };
}

/** The `fallback` hop of a spawned worker's task when the team could not take the spawn. */
function spawnFallbackNote(type: string, name: string): NonNullable<RouteOrigin['note']> {
  return { event: 'fallback', detail: `the team could not take the spawn: this "${type}" runs on this machine as "${name}"` };
}

/** The agent protocol's error code closest to a routing failure. */
function codeOf(error: unknown): ProtocolErrorCode {
  const name = (error as Error | undefined)?.name;
  if (name === 'NoSuchAgent') return 'unknown-destination';
  if (name === 'NoAgentAvailable') return 'no-agent-available';
  if (name === 'WorkloadFull') return 'workload-full';
  if (name === 'ValidationError' || name === 'MessageTooLarge') return 'bad-line';
  return 'not-supported';
}
