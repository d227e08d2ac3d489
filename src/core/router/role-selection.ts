/**
 * Which instance of a role takes a message, and why (docs/routing.md, Dispatch and broadcast).
 *
 * The registry's selection rules (src/core/registry/selection.ts: never unreachable,
 * terminated or full; ready before busy; least loaded first; the freshest heartbeat
 * breaks ties), applied to the load the router counts itself (workload.ts) and to where
 * the instance runs: an instance where the hybrid config places its type comes before
 * one elsewhere, and one the router can reach now before one behind a link that is down.
 * Pure: the dispatcher hands it the registry's records and the router's view of them.
 */
import type { AgentInfo, AgentLoad, Location } from '../../shared/domain.js';
import { isLive } from '../registry/index.js';

/** One instance of the role as the router sees it. */
export interface RoleCandidate {
  agent: AgentInfo;
  /** The load that limits it (the larger of its report and the router's count). */
  load: AgentLoad;
  /** Where it runs relative to this router. */
  location: Location;
  /** Where the hybrid config places its type. */
  placedAt: Location;
  /** Messages for it already wait in the outbox: it is not taking work now. */
  backlogged: boolean;
}

export interface RoleContext {
  hostLocation: Location;
  hybridEnabled: boolean;
  linkUp: boolean;
  /** Instances already tried (a failover) or the sender itself. */
  exclude: ReadonlySet<string>;
}

export type RoleChoice =
  | { chosen: RoleCandidate; reason: string; eligible: number }
  | { chosen: undefined; reason: string; eligible: 0 };

/** Why an instance cannot take the message, or undefined when it can. */
export function skipReason(c: RoleCandidate, ctx: RoleContext): string | undefined {
  if (!isLive(c.agent.status)) return c.agent.status;
  if (c.location !== ctx.hostLocation && !ctx.hybridEnabled) return 'remote, hybrid off';
  if (c.load.max > 0 && c.load.current >= c.load.max) return `full ${loadText(c.load)}`;
  if (c.backlogged) return 'messages already waiting for it';
  return undefined;
}

/** Picks one instance; the reason names the choice, the field and what was skipped. */
export function chooseInstance(candidates: readonly RoleCandidate[], ctx: RoleContext): RoleChoice {
  const eligible: RoleCandidate[] = [];
  const skipped: string[] = [];
  for (const c of candidates) {
    if (ctx.exclude.has(c.agent.name)) continue;
    const why = skipReason(c, ctx);
    if (why === undefined) eligible.push(c);
    else skipped.push(`${c.agent.name} (${why})`);
  }
  const skippedText = skipped.length === 0 ? '' : `; skipped ${list(skipped)}`;
  if (eligible.length === 0) return { chosen: undefined, reason: `no healthy instance with free workload${skippedText}`, eligible: 0 };
  // One pass, not a sort: a role may have a thousand instances.
  const chosen = eligible.reduce((best, c) => (compare(c, best, ctx) < 0 ? c : best));
  const where = chosen.location === chosen.placedAt ? '' : `, outside its placement (${chosen.placedAt}) as none there is free`;
  const away = reachableNow(chosen, ctx) ? '' : ', queued until the link is back';
  const reason = `chose ${chosen.agent.name}: least loaded ${loadText(chosen.load)} among ${eligible.length} healthy${where}${away}${skippedText}`;
  return { chosen, reason, eligible: eligible.length };
}

function reachableNow(c: RoleCandidate, ctx: RoleContext): boolean {
  return c.location === ctx.hostLocation || ctx.linkUp;
}

/** Reachable now, in place, ready, least loaded (ratio, then count), freshest, then by name. */
function compare(a: RoleCandidate, b: RoleCandidate, ctx: RoleContext): number {
  return (
    Number(reachableNow(b, ctx)) - Number(reachableNow(a, ctx)) ||
    Number(b.location === b.placedAt) - Number(a.location === a.placedAt) ||
    Number(b.agent.status !== 'busy') - Number(a.agent.status !== 'busy') ||
    ratio(a.load) - ratio(b.load) ||
    a.load.current - b.load.current ||
    b.agent.lastHeartbeat - a.agent.lastHeartbeat ||
    (a.agent.name < b.agent.name ? -1 : a.agent.name > b.agent.name ? 1 : 0)
  );
}

function ratio(load: AgentLoad): number {
  return load.max > 0 ? Math.min(load.current / load.max, 1) : 0;
}

/** `1/2`, or `1` when the agent declares no limit. */
export function loadText(load: AgentLoad): string {
  return load.max > 0 ? `${load.current}/${load.max}` : `${load.current}`;
}

/** At most five names, then a count: a trace detail stays readable at a thousand instances. */
function list(items: string[]): string {
  return items.length <= 5 ? items.join(', ') : `${items.slice(0, 5).join(', ')} and ${items.length - 5} more`;
}
