/**
 * The supervisor of local agents: starts agents from manifests, names them, checks
 * their heartbeats on a sweep, scales a type up and down, and stops everything when
 * the app closes.
 */
import type { ContextLine, SendLine, SpawnLine } from '../../shared/agent-protocol.js';
import { AgentNotRunning, AgentStartFailed, DependencyMissing, UnknownAgentType } from '../../shared/errors.js';
import type { Clock } from '../clock.js';
import type { LoadedManifest, ManifestStore } from './manifest-store.js';
import { DEFAULT_RESTART_TIMINGS } from './restart-policy.js';
import type { AgentRegistryPort, SupervisorTimings } from './supervision-types.js';
import { SupervisedAgent } from './supervised-agent.js';
import type { StartSettings } from './agent-handshake.js';
import type { ReplyTo } from './agent-context.js';

/** A start of a running agent's name: the agent itself when type and settings match (unset settings match any). */
function runningAs(existing: SupervisedAgent, type: string, asked: StartSettings): SupervisedAgent {
  if (existing.type !== type) throw new AgentStartFailed(`the name "${existing.name}" is taken by a running ${existing.type} agent`);
  const same =
    (asked.workspace === undefined || asked.workspace === existing.settings.workspace) &&
    (asked.isolation === undefined || asked.isolation === existing.settings.isolation);
  if (!same) throw new AgentStartFailed(`"${existing.name}" is already running on another workspace or isolation: stop it first`);
  return existing;
}

/** A stopped agent started again by name keeps the workspace and isolation it had, unless given others. */
const keptSettings = (asked: StartSettings, before: StartSettings = {}): StartSettings => ({
  workspace: asked.workspace ?? before.workspace,
  isolation: asked.isolation ?? before.isolation,
});

export const DEFAULT_SUPERVISOR_TIMINGS: SupervisorTimings = {
  ...DEFAULT_RESTART_TIMINGS,
  sweepIntervalMs: 1_000,
  killAfterMs: 5_000,
};

export interface SupervisorOptions {
  clock: Clock;
  registry: AgentRegistryPort;
  manifests: ManifestStore;
  owner: string;
  /** The repo new agents register in (the hybrid config's). */
  repo: () => string;
  timings?: Partial<SupervisorTimings>;
  /** Where agents' state folders live (`<dataDir>/agent-state`). */
  stateRoot?: string;
  /** The desktop's person, who decides approvals of its own agents (SWITCHYARD_APPROVER). */
  approver?: string;
  /** Names held by someone else (the gateway's agents); never given to a new agent. */
  isNameTaken: (name: string) => boolean;
  /** A dependency type counts as available when this says so (e.g. a registered remote agent). */
  isTypeAvailable: (type: string) => boolean;
  outbound(from: { repo: string; name: string }, line: SendLine | SpawnLine): void;
  context(from: { repo: string; name: string }, line: ContextLine, reply: ReplyTo): void;
}

export class Supervisor {
  private readonly agents = new Map<string, SupervisedAgent>();
  private readonly timings: SupervisorTimings;
  private readonly sweepTimer: NodeJS.Timeout;
  private closed = false;
  /** If the app exits without close() (process.exit), no agent survives it. */
  private readonly onProcessExit = (): void => this.killAllNow();

  constructor(private readonly options: SupervisorOptions) {
    this.timings = { ...DEFAULT_SUPERVISOR_TIMINGS, ...options.timings };
    this.sweepTimer = setInterval(() => this.sweep(), this.timings.sweepIntervalMs);
    this.sweepTimer.unref();
    process.on('exit', this.onProcessExit);
  }

  /** The supervised agent by name, live or not. */
  get(name: string): SupervisedAgent | undefined {
    return this.agents.get(name);
  }

  /** Names of live supervised agents. */
  liveNames(): string[] {
    return [...this.agents.values()].filter((a) => a.isLive()).map((a) => a.name);
  }

  /**
   * Starts an agent of `type`, named `name` or the first free `type`, `type-2`, …;
   * `settings` (a coding agent's workspace and isolation) go into its config.
   */
  async start(type: string, name?: string, settings: StartSettings = {}): Promise<SupervisedAgent> {
    if (this.closed) throw new AgentStartFailed('Switchyard is shutting down');
    const loaded = this.options.manifests.get(type);
    if (!loaded) throw new UnknownAgentType(type);
    this.checkDependencies(loaded);
    const chosen = name ?? this.freeName(type);
    const existing = this.agents.get(chosen);
    if (existing?.isLive()) return runningAs(existing, type, settings);
    if (this.options.isNameTaken(chosen)) {
      throw new AgentStartFailed(`the name "${chosen}" is taken by an agent connected through the gateway`);
    }
    const agent = new SupervisedAgent(
      loaded,
      chosen,
      this.options.repo(),
      {
        clock: this.options.clock,
        registry: this.options.registry,
        owner: this.options.owner,
        timings: this.timings,
        ...(this.options.stateRoot !== undefined ? { stateRoot: this.options.stateRoot } : {}),
        ...(this.options.approver !== undefined ? { approver: this.options.approver } : {}),
        outbound: (from, line) => this.options.outbound(from, line),
        context: (from, line, reply) => this.options.context(from, line, reply),
      },
      existing?.log,
      keptSettings(settings, existing?.settings),
    );
    this.agents.set(chosen, agent);
    try {
      await agent.start();
    } catch (error) {
      throw new AgentStartFailed(`could not start "${chosen}": ${(error as Error).message}`, { cause: error });
    }
    return agent;
  }

  async stop(name: string): Promise<SupervisedAgent> {
    const agent = this.require(name);
    await agent.stop();
    return agent;
  }

  async restart(name: string): Promise<SupervisedAgent> {
    const agent = this.require(name);
    await agent.stop('restarting');
    return this.start(agent.type, agent.name, agent.settings);
  }

  /** Runs exactly `count` live agents of `type`: starts new ones or stops the newest. */
  async scale(type: string, count: number): Promise<SupervisedAgent[]> {
    const live = (): SupervisedAgent[] => [...this.agents.values()].filter((a) => a.type === type && a.isLive());
    const current = live();
    if (current.length < count) {
      if (!this.options.manifests.get(type)) throw new UnknownAgentType(type);
      const names: string[] = [];
      for (let i = current.length; i < count; i++) names.push(this.freeName(type, names));
      await Promise.all(names.map((name) => this.start(type, name)));
    } else if (current.length > count) {
      await Promise.all(current.slice(count).map((agent) => agent.stop('scaled down')));
    }
    return live();
  }

  /** Stops every agent (in parallel) and the sweep; the supervisor takes no new starts. */
  async stopAll(reason = 'Switchyard is closing'): Promise<void> {
    this.closed = true;
    clearInterval(this.sweepTimer);
    await Promise.all([...this.agents.values()].map((agent) => agent.stop(reason)));
    process.off('exit', this.onProcessExit);
  }

  /** Heartbeat check of every agent; runs on the sweep timer. */
  sweep(now = this.options.clock.now()): void {
    for (const agent of this.agents.values()) agent.checkHealth(now);
  }

  private killAllNow(): void {
    for (const agent of this.agents.values()) agent.killNow();
  }

  private require(name: string): SupervisedAgent {
    const agent = this.agents.get(name);
    if (!agent) throw new AgentNotRunning(name, 'is not a supervised local agent');
    return agent;
  }

  private checkDependencies(loaded: LoadedManifest): void {
    const missing = loaded.manifest.dependencies.filter(
      (dep) =>
        dep !== loaded.manifest.type && !this.options.manifests.get(dep) && !this.options.isTypeAvailable(dep),
    );
    if (missing.length > 0) throw new DependencyMissing(loaded.manifest.type, missing);
  }

  private freeName(type: string, reserved: string[] = []): string {
    const free = (name: string): boolean =>
      !reserved.includes(name) && !this.agents.get(name)?.isLive() && !this.options.isNameTaken(name);
    if (free(type)) return type;
    for (let i = 2; ; i++) {
      const name = `${type}-${i}`;
      if (free(name)) return name;
    }
  }
}
