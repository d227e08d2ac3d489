/**
 * Selection strategies: which one of the agents that fit a query gets the work.
 *
 * Pure logic only (the SQL side lives in query-builder.ts), so the score and the
 * round-robin rotation can be tested without a database.
 */
import type { AgentLoad, AgentStatus } from '../../shared/domain.js';
import type { AgentQuery } from '../../shared/registry-query.js';

/** What the availability score looks at. */
export interface AvailabilityInput {
  status: AgentStatus;
  load: AgentLoad;
  lastHeartbeat: number;
  /** The agent's own heartbeat interval, or the policy's. */
  heartbeatIntervalMs: number;
}

/** Weights of the availability score; see docs/registry.md. */
export const AVAILABILITY_WEIGHTS = { ready: 100, load: 10, freshness: 1 } as const;

/**
 * How available an agent is: higher is better, `-Infinity` for one that must never be
 * chosen (unreachable, terminated, or fully loaded).
 *
 *   score = 100 · ready + 10 · (1 − loadRatio) + 1 · freshness
 *
 * - ready is 1 for `active` and `idle`, 0 for `busy`: the other terms add at most 11,
 *   so any ready agent beats any busy one.
 * - loadRatio is current / max, capped at 1 (0 when max is 0, i.e. no declared limit).
 * - freshness falls linearly from 1 (heartbeat just now) to 0 at the point the sweep
 *   would call the agent unreachable (interval × failureThreshold).
 *
 * Load weighs ten times freshness: a 10-point load difference equals the whole range
 * between a heartbeat just now and one about to be missed.
 */
export function availabilityScore(agent: AvailabilityInput, now: number, failureThreshold: number): number {
  const { current, max } = agent.load;
  if (max > 0 && current >= max) return -Infinity;
  let ready: number;
  switch (agent.status) {
    case 'active':
    case 'idle':
      ready = 1;
      break;
    case 'busy':
      ready = 0;
      break;
    case 'unreachable':
    case 'terminated':
      return -Infinity;
  }
  const loadRatio = max > 0 ? Math.min(current / max, 1) : 0;
  const window = agent.heartbeatIntervalMs * failureThreshold;
  const age = Math.max(0, now - agent.lastHeartbeat);
  const freshness = window > 0 ? Math.max(0, 1 - age / window) : 0;
  const w = AVAILABILITY_WEIGHTS;
  return w.ready * ready + w.load * (1 - loadRatio) + w.freshness * freshness;
}

/**
 * The index of the best-scoring candidate; the first one wins ties, so callers pass
 * candidates in a stable order. -1 when none may be chosen.
 */
export function pickMostAvailable<T>(candidates: readonly T[], score: (candidate: T) => number): number {
  let best = -1;
  let bestScore = -Infinity;
  candidates.forEach((candidate, index) => {
    const value = score(candidate);
    if (value > bestScore) {
      best = index;
      bestScore = value;
    }
  });
  return best;
}

/** The key a round-robin rotation is kept under: the query's filters, not its paging. */
export function rotationKey(query: AgentQuery): string {
  const { sort: _sort, order: _order, limit: _limit, ...filters } = query;
  return JSON.stringify(canonical(filters));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return [...new Set(value.map(canonical))].sort();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/**
 * Where each round-robin rotation stands: the last agent it chose.
 *
 * Bounded so a caller inventing queries cannot grow it without limit; a forgotten
 * rotation restarts from the first agent, which costs fairness for one lap at most.
 */
export class RotationCursors {
  private readonly cursors = new Map<string, { repo: string; name: string }>();

  constructor(private readonly capacity = 1024) {}

  get(key: string): { repo: string; name: string } | undefined {
    return this.cursors.get(key);
  }

  set(key: string, cursor: { repo: string; name: string }): void {
    this.cursors.delete(key);
    if (this.cursors.size >= this.capacity) {
      const oldest = this.cursors.keys().next().value;
      if (oldest !== undefined) this.cursors.delete(oldest);
    }
    this.cursors.set(key, cursor);
  }
}

/**
 * Whether an agent counts as alive: it holds its name against newcomers and may be
 * chosen. Unreachable and terminated agents do neither.
 */
export function isLive(status: AgentStatus): boolean {
  return status === 'active' || status === 'idle' || status === 'busy';
}
