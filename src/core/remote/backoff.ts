/**
 * Reconnect waits: exponential with full jitter, capped, so a fleet of desktops that
 * lost the same server do not come back in lockstep.
 */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** 0..1: the share of each wait that is random. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 15_000, jitter: 0.5 };

/** The wait before attempt `attempt` (0-based); `random` is injectable for tests. */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  const jitter = base * policy.jitter;
  return Math.round(base - jitter + random() * jitter);
}
