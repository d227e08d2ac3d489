/**
 * LocalAgents: everything that runs on this machine, behind one facade — supervised
 * agents (stdio) and external agents (the local gateway). The router talks to local
 * agents only through `deliver` and `onOutbound`; the contract handlers through the rest.
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { LogEntry, ProtocolErrorCode, SendLine, SpawnLine } from '../../shared/agent-protocol.js';
import type { AgentInfo, RoutedMessage } from '../../shared/domain.js';
import { AgentNotRunning } from '../../shared/errors.js';
import type { AgentManifest } from '../../shared/manifest.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { LocalGateway } from '../gateway/gateway-server.js';
import type { AgentRegistry } from '../registry/index.js';
import type { AttachedEndpoint, EndpointSpec } from './in-process-endpoints.js';
import { InProcessEndpoints } from './in-process-endpoints.js';
import type { LoadedManifest, ManifestProblem } from './manifest-store.js';
import { ManifestStore } from './manifest-store.js';
import type { StartSettings } from './agent-handshake.js';
import type { SupervisedAgent } from './supervised-agent.js';
import type { SupervisorTimings } from './supervision-types.js';
import { Supervisor } from './supervisor.js';
import { retireStaleRows, settingsOf, supervisionOf } from './stale-rows.js';
import type { ContextPort } from './agent-context.js';
import { AgentContext } from './agent-context.js';

/** What a local agent asked Switchyard to do: send a message or spawn a worker. */
export interface OutboundEvent {
  from: { repo: string; name: string };
  line: SendLine | SpawnLine;
}

export interface GatewaySettings {
  /** 0 or absent: a free port. */
  port?: number;
  allowedOrigins?: string[];
  heartbeatIntervalMs?: number;
  failureThreshold?: number;
  sweepIntervalMs?: number;
}

export interface LocalAgentsOptions {
  registry: AgentRegistry;
  /** Holds the gateway token and, by default, the user's manifests (`<dataDir>/agents`). */
  dataDir: string;
  /** The repo agents register in: the hybrid config's `repo`. */
  repo: () => string;
  clock?: Clock;
  builtinManifestDir?: string;
  userManifestDir?: string;
  /** Defaults to the OS user name. */
  owner?: string;
  /**
   * The endpoint that decides tool approvals for agents asked by nobody who could
   * (SWITCHYARD_APPROVER): the desktop's person; unset in the coordinator.
   */
  approver?: string;
  timings?: Partial<SupervisorTimings>;
  /** `false` runs without a gateway (no listening socket). */
  gateway?: GatewaySettings | false;
}

/** Where external agents connect, for the UI and docs. */
export interface GatewayInfo {
  url: string;
  port: number;
  tokenFile: string;
}

export interface LocalAgents {
  readonly gateway: GatewayInfo | null;
  /** The user local agents (and the person at the desktop) act for. */
  readonly owner: string;
  /** Writes a `message` line to the local agent `message.to` in `message.repo`; false if none runs. */
  deliver(message: RoutedMessage): boolean;
  /** Sends an `error` line to a local agent (e.g. "unknown destination"); false if none runs. */
  replyError(to: string, error: { code: ProtocolErrorCode; message: string; ref?: string }): boolean;
  /**
   * Adds an in-process endpoint (the person at the desktop): registered and heartbeated
   * as a local agent, its messages handed to `onMessage` (in-process-endpoints.ts).
   */
  attachEndpoint(spec: EndpointSpec): AttachedEndpoint;
  /** Answers local agents' blackboard lines from this blackboard (until then: `not-supported`). */
  attachContext(port: ContextPort): void;
  /** Subscribes to what local agents ask to send or spawn. */
  onOutbound(listener: (event: OutboundEvent) => void): () => void;
  manifests(): { manifests: LoadedManifest[]; problems: ManifestProblem[] };
  install(manifest: AgentManifest, options?: { replace?: boolean }): LoadedManifest;
  /** `settings`: a coding agent's validated workspace and isolation (they go into its config and metadata). */
  start(type: string, name?: string, settings?: StartSettings): Promise<AgentInfo>;
  stop(name: string): Promise<AgentInfo>;
  restart(name: string): Promise<AgentInfo>;
  scale(type: string, count: number): Promise<AgentInfo[]>;
  logs(name: string, tail?: number): LogEntry[];
  /** Stops every supervised agent and closes the gateway; nothing is left running. */
  stopAll(): Promise<void>;
}

/** Builds the supervisor and (unless disabled) starts the gateway. */
export async function createLocalAgents(options: LocalAgentsOptions): Promise<LocalAgents> {
  const clock = options.clock ?? systemClock;
  const owner = options.owner ?? osUser();
  const registry = options.registry;
  const store = new ManifestStore({
    builtinDir: options.builtinManifestDir,
    userDir: options.userManifestDir ?? join(options.dataDir, 'agents'),
  });
  const listeners = new Set<(event: OutboundEvent) => void>();
  let gateway: LocalGateway | undefined;
  const endpoints = new InProcessEndpoints(registry, owner);
  const agentContext = new AgentContext();
  const context = agentContext.handle.bind(agentContext);
  // Assigned once below, after the closures that read it are built.
  // eslint-disable-next-line prefer-const
  let supervisor: Supervisor | undefined;

  const replyError: LocalAgents['replyError'] = (to, error) => {
    const line = { type: 'error' as const, ...error };
    const agent = supervisor?.get(to);
    if (agent?.isLive()) return agent.write(line);
    const session = gateway?.sessions.connected(to);
    return session ? gateway!.sessions.write(session, line) : false;
  };
  const outbound = (from: OutboundEvent['from'], line: SendLine | SpawnLine): void => {
    if (listeners.size === 0) {
      replyError(from.name, { code: 'not-supported', message: 'no router is running to take this', ...(line.id ? { ref: line.id } : {}) });
      return;
    }
    for (const listener of listeners) {
      try {
        listener({ from, line });
      } catch (error) {
        console.error('[switchyard] outbound listener failed:', error);
      }
    }
  };
  // Before anything starts: no record of an earlier run's supervised agent is live now.
  retireStaleRows(registry, clock.now());
  const isTypeAvailable = (type: string): boolean =>
    registry.discover({ type, status: ['active', 'idle', 'busy'], limit: 1 }).length > 0;

  supervisor = new Supervisor({
    clock,
    registry,
    manifests: store,
    owner,
    repo: options.repo,
    timings: options.timings,
    stateRoot: join(options.dataDir, 'agent-state'),
    ...(options.approver !== undefined ? { approver: options.approver } : {}),
    isNameTaken: (name) => endpoints.holds(name) || (gateway?.sessions.holds(name) ?? false),
    isTypeAvailable,
    outbound,
    context,
  });
  const sup = supervisor;
  if (options.gateway !== false) {
    const settings = options.gateway ?? {};
    gateway = await LocalGateway.start({
      ...settings,
      dataDir: options.dataDir,
      clock,
      registry,
      owner,
      repo: options.repo,
      isNameReserved: (name) => endpoints.holds(name) || (sup.get(name)?.isLive() ?? false),
      outbound,
      context,
    });
  }

  /** A supervised record this run's supervisor does not hold: an earlier run's agent. */
  const earlierRun = (name: string): AgentInfo | undefined => {
    if (sup.get(name) || gateway?.sessions.connected(name)) return undefined;
    const record = registry.get({ repo: options.repo(), name });
    return record && supervisionOf(record) ? record : undefined;
  };

  const infoOf = (agent: SupervisedAgent): AgentInfo => {
    const info = agent.info();
    if (!info) throw new AgentNotRunning(agent.name, 'has no registry record');
    return info;
  };

  return {
    gateway: gateway ? { url: gateway.url, port: gateway.port, tokenFile: gateway.tokenFile } : null,
    owner,
    deliver(message) {
      if (endpoints.deliver(message)) return true;
      const line = { type: 'message' as const, message };
      const agent = sup.get(message.to);
      if (agent && agent.repo === message.repo && agent.write(line)) return true;
      return gateway?.deliver(message.to, message.repo, line) ?? false;
    },
    replyError,
    attachEndpoint: (spec) => endpoints.attach(spec),
    attachContext: (port) => agentContext.attach(port),
    onOutbound(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    manifests: () => store.load(),
    install: (manifest, installOptions) =>
      store.install(manifest, { replace: installOptions?.replace ?? false, isAvailable: isTypeAvailable }),
    start: async (type, name, settings) => infoOf(await sup.start(type, name, settings)),
    async stop(name) {
      // Its process ended with the earlier run (its row says so): already stopped.
      const stale = earlierRun(name);
      if (stale) return stale;
      const session = sup.get(name) ? undefined : gateway?.sessions.connected(name);
      if (session && gateway) {
        gateway.sessions.stop(session, 'stopped by the user');
        const info = registry.get({ repo: session.repo, name });
        if (info) return info;
      }
      return infoOf(await sup.stop(name));
    },
    async restart(name) {
      // Restart (and the row's Start) of an earlier run's agent starts it by its record.
      const stale = earlierRun(name);
      if (stale) return infoOf(await sup.start(stale.type, name, settingsOf(stale)));
      return infoOf(await sup.restart(name));
    },
    scale: async (type, count) => (await sup.scale(type, count)).map(infoOf),
    logs(name, tail = 100) {
      const log = sup.get(name)?.log ?? gateway?.sessions.byName(name)?.log;
      if (!log) throw new AgentNotRunning(name);
      return log.tail(tail);
    },
    async stopAll() {
      endpoints.stopAll();
      agentContext.close();
      await Promise.all([sup.stopAll(), gateway?.close()]);
    },
  };
}

function osUser(): string {
  try {
    return userInfo().username || 'local';
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'local';
  }
}
