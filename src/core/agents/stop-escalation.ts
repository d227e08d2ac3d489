/**
 * Stopping an agent with bounded waits (after `shutdown` and the end of its stdin):
 * a grace period to exit on its own, then SIGTERM to its group, then SIGKILL.
 *
 * The waits run on the injected clock, like the restart backoff.
 */
import type { Clock } from '../clock.js';
import { scheduleOn } from '../clock.js';

export interface StopEscalation {
  clock: Clock;
  /** Resolves once the process has exited. */
  exited: Promise<void>;
  graceMs: number;
  killAfterMs: number;
  /** Signals the agent's process group. */
  signal(signal: NodeJS.Signals): void;
  note(text: string): void;
}

/** True when `promise` settles within `ms` on `clock`. */
export function settlesWithin(clock: Clock, promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const cancel = scheduleOn(clock, ms, () => resolve(false));
    void promise.then(() => {
      cancel();
      resolve(true);
    });
  });
}

/** Waits, then escalates; resolves once the process has exited. */
export async function escalateStop({ clock, exited, graceMs, killAfterMs, signal, note }: StopEscalation): Promise<void> {
  if (await settlesWithin(clock, exited, graceMs)) return;
  note(`still running ${graceMs} ms after shutdown: SIGTERM`);
  signal('SIGTERM');
  if (await settlesWithin(clock, exited, killAfterMs)) return;
  note('still running after SIGTERM: SIGKILL');
  signal('SIGKILL');
  await exited;
}
