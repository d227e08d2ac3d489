/**
 * Clocks to inject into the core (src/core/clock.ts) in tests.
 *
 * `manualClock` is time the test drives: nothing happens until `advance`, so backoff and
 * grace periods are tested without waiting for them. `watchedClock` is real time that
 * counts the timers still pending, so a test can see that nothing is scheduled (a crash
 * loop stays given up) instead of sleeping to find out.
 */
import type { Clock } from '../../src/core/clock.js';

export interface ManualClock extends Required<Clock> {
  /** Moves time forward, firing every timer that falls due, in order. */
  advance(ms: number): void;
  /** Timers scheduled and neither fired nor cancelled. */
  pending(): number;
}

export function manualClock(start = 0): ManualClock {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    after(ms, fn) {
      const id = ++seq;
      timers.set(id, { at: now + ms, fn });
      return () => void timers.delete(id);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort(([a, x], [b, y]) => x.at - y.at || a - b)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
    pending: () => timers.size,
  };
}

export interface WatchedClock extends Required<Clock> {
  /** Timers scheduled and neither fired nor cancelled. */
  pending(): number;
  /** Timers ever scheduled: proof the code under test runs on this clock. */
  scheduled(): number;
}

export function watchedClock(): WatchedClock {
  let pending = 0;
  let scheduled = 0;
  return {
    now: () => Date.now(),
    after(ms, fn) {
      pending += 1;
      scheduled += 1;
      let live = true;
      const settle = (): boolean => {
        if (!live) return false;
        live = false;
        pending -= 1;
        return true;
      };
      const timer = setTimeout(() => settle() && fn(), ms);
      return () => {
        if (settle()) clearTimeout(timer);
      };
    },
    pending: () => pending,
    scheduled: () => scheduled,
  };
}
