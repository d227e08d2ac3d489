/**
 * The restart side of one supervised agent: the policy's decision after an exit, the
 * restart count and next restart time the UI shows, and the one pending restart timer.
 *
 * The timer runs on the injected clock, so a test can see that nothing is scheduled
 * (a crash loop stays given up) instead of waiting to find out.
 */
import type { ExitReason, LastExit } from '../../shared/agent-protocol.js';
import type { Clock } from '../clock.js';
import { scheduleOn } from '../clock.js';
import type { RestartTimings } from './restart-policy.js';
import { RestartPolicy } from './restart-policy.js';

export type RestartPlan = { action: 'restart'; delayMs: number } | { action: 'give-up'; detail: string };

export class RestartScheduler {
  private count = 0;
  private nextAt: number | null = null;
  private cancelTimer: (() => void) | undefined;
  private readonly policy: RestartPolicy;

  constructor(
    private readonly clock: Clock,
    private readonly timings: RestartTimings,
  ) {
    this.policy = new RestartPolicy(timings);
  }

  /** Automatic restarts since the last manual start. */
  get restarts(): number {
    return this.count;
  }

  /** When the pending restart is due, or null when none is. */
  get nextRestartAt(): number | null {
    return this.nextAt;
  }

  /** A manual start forgets the history: the user asked for a fresh try. */
  reset(): void {
    this.cancel();
    this.policy.reset();
    this.count = 0;
  }

  /**
   * Decides what follows `exit` of a process that ran `uptimeMs`; on a restart, `relaunch`
   * runs once the backoff has passed (unless cancel() comes first).
   */
  afterExit(exit: LastExit, uptimeMs: number, relaunch: () => void): RestartPlan {
    const decision = this.policy.onExit(exit.at, uptimeMs);
    if (decision.action === 'give-up') {
      const { maxRestarts, intensityWindowMs } = this.timings;
      const window = Math.round(intensityWindowMs / 1000);
      return { action: 'give-up', detail: `${maxRestarts} restarts within ${window} s; last: ${exit.detail ?? exit.reason}` };
    }
    this.count += 1;
    this.nextAt = exit.at + decision.delayMs;
    this.cancelTimer = scheduleOn(this.clock, decision.delayMs, () => {
      this.cancelTimer = undefined;
      relaunch();
    });
    return decision;
  }

  /** The agent is launching or has stopped for good: no restart is due. */
  markNotDue(): void {
    this.nextAt = null;
  }

  /** Drops a pending restart. */
  cancel(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.nextAt = null;
  }
}

/**
 * What an exit was: `cause` when the supervisor knows better (it was stopping the agent,
 * or killed it as unresponsive), else a signal or an exit code.
 */
export function exitRecord(code: number | null, signal: NodeJS.Signals | null, at: number, cause?: ExitReason): LastExit {
  const reason = cause ?? (signal ? 'signal' : 'exited');
  return { code, signal, reason, at, detail: signal ? `killed by ${signal}` : `exit code ${code}` };
}
