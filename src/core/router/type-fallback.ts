/**
 * Messages to a remote team agent *type* (an agent name that is a type placed remote,
 * e.g. `review`) while the team cannot be reached: with fallbackToLocal on, a local
 * stand-in serves them instead of the outbox holding them for the team's return.
 *
 * The stand-in is `<type>-standin`, started from the local manifest of the type when one
 * is installed and from the shipped `worker` otherwise; routes to it say `fallback`, and
 * the trace gets a `fallback` hop naming the type it stands in for. Once the link is up
 * again new messages to the type go remote (the first with a `failback` hop), and each
 * stand-in is stopped as soon as it is idle, so its work in hand still finishes.
 * docs/routing.md, "Fallback to local".
 */
import type { HybridConfig } from '../../shared/config.js';
import type { AgentInfo } from '../../shared/domain.js';
import { effectiveTypeLists, ownershipOf } from '../../shared/ownership.js';
import type { AgentRegistry } from '../registry/index.js';
import type { RouteOrigin } from './types.js';

export const STAND_IN_SUFFIX = '-standin';

export interface TypeFallbackDeps {
  config: () => HybridConfig;
  linkUp: () => boolean;
  registry: Pick<AgentRegistry, 'get' | 'onChange'>;
  /** Starts (or finds running) a local agent of `type` named `name`. */
  start(type: string, name: string): Promise<AgentInfo>;
  stop(name: string): Promise<unknown>;
  /** Whether a local manifest of `type` is installed. */
  hasManifest(type: string): boolean;
  /** Where fallback-started agents are noted (`<repo>/<name>`), so routes to them say `fallback`. */
  fallbackAgents: Set<string>;
  onError(error: unknown): void;
}

/** What the router should route instead, if anything. */
export interface Redirect {
  input: unknown;
  origin: RouteOrigin;
}

/**
 * Whether a destination name is a team agent type under the config: listed remote,
 * repo-owned (review, supervisor, merge-queue), or the team's record of that very type.
 * A local record of the name is never one (it is ours to deliver to).
 */
export function isTeamType(name: string, record: Pick<AgentInfo, 'location' | 'type'> | undefined, config: Pick<HybridConfig, 'localAgentTypes' | 'remoteAgentTypes'>): boolean {
  if (record?.location === 'local') return false;
  if (record && record.type === name) return true;
  return effectiveTypeLists(config).remote.includes(name) || ownershipOf(name) === 'repo';
}

export class TypeFallback {
  /** `<repo>/<type>` → its running stand-in's name. */
  private readonly standIns = new Map<string, string>();
  /** Types served by a stand-in since the link was last up: their next remote message says `failback`. */
  private readonly failedOver = new Set<string>();
  /** Stand-ins to stop once idle (the team is back). */
  private readonly retiring = new Map<string, string>();
  /** Stand-ins being started: messages that arrive meanwhile wait for the same start. */
  private readonly starting = new Map<string, Promise<string>>();
  private readonly stopFeed: () => void;

  constructor(private readonly deps: TypeFallbackDeps) {
    this.stopFeed = deps.registry.onChange((batch) => {
      for (const agent of batch.upserts) this.retireIfIdle(agent);
    });
  }

  /** The message routed to a stand-in (link down), or with a failback note (link back), or as it is. */
  async redirect(input: unknown, origin: RouteOrigin): Promise<Redirect> {
    const to = typeof (input as { to?: unknown } | null)?.to === 'string' ? (input as { to: string }).to : undefined;
    const config = this.deps.config();
    if (to === undefined || !config.enabled) return { input, origin };
    const key = `${config.repo}/${to}`;
    if (this.deps.linkUp()) {
      if (!this.failedOver.delete(key)) return { input, origin };
      const detail = `the team is reachable again: "${to}" is served remotely, no longer by a local stand-in`;
      return { input, origin: { ...origin, note: { event: 'failback', detail } } };
    }
    if (!config.fallbackToLocal || to.endsWith(STAND_IN_SUFFIX)) return { input, origin };
    const record = this.deps.registry.get({ repo: config.repo, name: to });
    if (!isTeamType(to, record, config)) return { input, origin };
    let standIn: string;
    try {
      standIn = await this.standIn(config.repo, to);
    } catch (error) {
      // No stand-in can run (no manifest, a failed start): the message waits for the team as before.
      this.deps.onError(new Error(`no local stand-in for "${to}": ${(error as Error).message}`, { cause: error }));
      return { input, origin };
    }
    this.failedOver.add(key);
    const detail = `the team is unreachable: "${to}" is served by the local stand-in "${standIn}"`;
    return { input: { ...(input as object), to: standIn }, origin: { ...origin, note: { event: 'fallback', detail } } };
  }

  /** The link is up: stand-ins are stopped once idle (now, if they already are). */
  linkUp(): void {
    for (const [key, name] of this.standIns) {
      this.standIns.delete(key);
      const repo = key.slice(0, key.indexOf('/'));
      this.retiring.set(`${repo}/${name}`, name);
      const record = this.deps.registry.get({ repo, name });
      if (record) this.retireIfIdle(record);
    }
  }

  close(): void {
    this.stopFeed();
  }

  private standIn(repo: string, type: string): Promise<string> {
    const key = `${repo}/${type}`;
    const pending = this.starting.get(key);
    if (pending) return pending;
    const start = this.startStandIn(repo, type).finally(() => this.starting.delete(key));
    this.starting.set(key, start);
    return start;
  }

  private async startStandIn(repo: string, type: string): Promise<string> {
    const key = `${repo}/${type}`;
    const name = `${type}${STAND_IN_SUFFIX}`;
    this.retiring.delete(`${repo}/${name}`);
    const running = this.standIns.get(key);
    const record = running ? this.deps.registry.get({ repo, name: running }) : undefined;
    if (running && record && record.status !== 'terminated') return running;
    // Marked before it starts, so its very first message is routed `fallback` too.
    this.deps.fallbackAgents.add(`${repo}/${name}`);
    const info = await this.deps.start(this.deps.hasManifest(type) ? type : 'worker', name);
    this.standIns.set(key, info.name);
    return info.name;
  }

  private retireIfIdle(agent: AgentInfo): void {
    const key = `${agent.repo}/${agent.name}`;
    const name = this.retiring.get(key);
    if (name === undefined || agent.location !== 'local') return;
    if (agent.status === 'busy' || agent.status === 'active' || agent.load.current > 0) return;
    this.retiring.delete(key);
    this.deps.fallbackAgents.delete(key);
    this.deps.stop(name).catch((error: unknown) => this.deps.onError(error));
  }
}
