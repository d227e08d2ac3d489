/**
 * When to restart an agent that exited: exponential backoff under a restart-intensity
 * limit, so a broken agent cannot start a restart storm (the Erlang/OTP supervisor
 * rule: at most N restarts in a window, then give up and say why).
 */

export interface RestartTimings {
  /** First backoff delay. */
  backoffInitialMs: number;
  /** Backoff ceiling. */
  backoffMaxMs: number;
  /** A process that ran this long counts as healthy: its backoff starts over. */
  healthyResetMs: number;
  /** Restarts allowed within the window before the agent is given up. */
  maxRestarts: number;
  intensityWindowMs: number;
}

export const DEFAULT_RESTART_TIMINGS: RestartTimings = {
  backoffInitialMs: 1_000,
  backoffMaxMs: 30_000,
  healthyResetMs: 60_000,
  maxRestarts: 5,
  intensityWindowMs: 5 * 60_000,
};

/** The delay before the restart that follows `failures` consecutive failures (0-based). */
export function backoffDelay(failures: number, timings: Pick<RestartTimings, 'backoffInitialMs' | 'backoffMaxMs'>): number {
  const exponent = Math.min(Math.max(0, failures), 30);
  return Math.min(timings.backoffInitialMs * 2 ** exponent, timings.backoffMaxMs);
}

export type RestartDecision = { action: 'restart'; delayMs: number } | { action: 'give-up' };

/**
 * The restart bookkeeping of one agent. Pure: the caller passes the time.
 */
export class RestartPolicy {
  private failures = 0;
  private restartTimes: number[] = [];

  constructor(private readonly timings: RestartTimings = DEFAULT_RESTART_TIMINGS) {}

  /**
   * Decides what follows an exit at `now` of a process that had run `uptimeMs`.
   * A `restart` decision counts against the intensity limit.
   */
  onExit(now: number, uptimeMs: number): RestartDecision {
    if (uptimeMs >= this.timings.healthyResetMs) this.failures = 0;
    this.restartTimes = this.restartTimes.filter((at) => now - at < this.timings.intensityWindowMs);
    if (this.restartTimes.length >= this.timings.maxRestarts) return { action: 'give-up' };
    const delayMs = backoffDelay(this.failures, this.timings);
    this.failures += 1;
    this.restartTimes.push(now);
    return { action: 'restart', delayMs };
  }

  /** Restarts counted in the current window. */
  recentRestarts(now: number): number {
    return this.restartTimes.filter((at) => now - at < this.timings.intensityWindowMs).length;
  }

  /** A manual start or restart forgets the history: the user asked for a fresh try. */
  reset(): void {
    this.failures = 0;
    this.restartTimes = [];
  }
}
