/**
 * Ended workers fold away: a task agent (a worker spawned for one task) that has been
 * terminated for {@link ENDED_GRACE_MS} leaves the Agents bands and the Routes graph,
 * unless the user asks to see ended agents. Team and personal agents never fold: a
 * stopped one is something to restart. Pure, so it is unit-tested with an injected now.
 *
 * The record carries no end time, so the renderer notes when it saw each agent become
 * terminated. An agent already terminated when first seen (at start-up, or a worker that
 * ended while the window was closed) counts as ended at its last heartbeat, its last sign
 * of life: it has been gone at least that long.
 */
import type { AgentInfo } from '../../../shared/domain.js';

/** How long an ended worker stays in view, so a user sees it finish. */
export const ENDED_GRACE_MS = 60_000;

/** When each terminated agent ended, keyed `${repo}/${name}`, epoch ms. */
export type EndedSince = ReadonlyMap<string, number>;

export const NO_ENDINGS: EndedSince = new Map();

/**
 * The end times after an agent update: a new entry for each agent that is terminated
 * now and was not before, none for an agent that is no longer terminated (a restart).
 * The same map when nothing changed, so selectors do not re-render.
 */
export function noteEndings(prev: EndedSince, before: ReadonlyMap<string, AgentInfo>, after: ReadonlyMap<string, AgentInfo>, now: number): EndedSince {
  let next: Map<string, number> | null = null;
  const edit = (): Map<string, number> => (next ??= new Map(prev));
  for (const [key, agent] of after) {
    if (agent.status !== 'terminated' || prev.has(key)) continue;
    const was = before.get(key);
    // Seen going from alive to terminated: it ended now. Otherwise, at its last sign of life.
    const endedAt = was !== undefined && was.status !== 'terminated' ? now : Math.min(now, agent.lastHeartbeat);
    edit().set(key, endedAt);
  }
  for (const key of prev.keys()) {
    if (after.get(key)?.status !== 'terminated') edit().delete(key);
  }
  return next ?? prev;
}

/** Whether an agent is an ended worker past its grace period. */
export function isFolded(agent: AgentInfo, ended: EndedSince, now: number, graceMs = ENDED_GRACE_MS): boolean {
  if (agent.ownership !== 'task' || agent.status !== 'terminated') return false;
  const endedAt = ended.get(`${agent.repo}/${agent.name}`) ?? agent.lastHeartbeat;
  return now - endedAt >= graceMs;
}

/** The agents to show and how many ended workers were folded away (all shown when `showEnded`). */
export function foldEnded(agents: readonly AgentInfo[], ended: EndedSince, now: number, showEnded: boolean): { shown: AgentInfo[]; folded: number } {
  const shown: AgentInfo[] = [];
  let folded = 0;
  for (const agent of agents) {
    if (isFolded(agent, ended, now)) {
      folded++;
      if (!showEnded) continue;
    }
    shown.push(agent);
  }
  return { shown, folded };
}

/** The ids (`repo/name`) of the agents folded away, for the Routes graph; empty when `showEnded`. */
export function foldedIds(agents: ReadonlyMap<string, AgentInfo>, ended: EndedSince, now: number, showEnded: boolean): ReadonlySet<string> {
  const out = new Set<string>();
  if (showEnded) return out;
  for (const [id, agent] of agents) if (isFolded(agent, ended, now)) out.add(id);
  return out;
}

/**
 * The next moment an ended worker's grace period runs out, or null when none is pending:
 * a view waits for it instead of re-rendering every second.
 */
export function nextFoldAt(agents: Iterable<AgentInfo>, ended: EndedSince, now: number, graceMs = ENDED_GRACE_MS): number | null {
  let next: number | null = null;
  for (const agent of agents) {
    if (agent.ownership !== 'task' || agent.status !== 'terminated') continue;
    const at = (ended.get(`${agent.repo}/${agent.name}`) ?? agent.lastHeartbeat) + graceMs;
    if (at > now && (next === null || at < next)) next = at;
  }
  return next;
}
