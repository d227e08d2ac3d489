/**
 * Time as the core sees it: injectable so liveness and backoff can be tested.
 *
 * `after` is optional so that a clock which only tells the time (a fixed `now` in a
 * unit test) stays a one-liner; code that schedules goes through `scheduleOn`, which
 * falls back to the system timers.
 */
export interface Clock {
  now(): number;
  /** Calls `fn` once after `ms`; returns the function that cancels it. */
  after?(ms: number, fn: () => void): () => void;
}

/** The system timers. */
function systemAfter(ms: number, fn: () => void): () => void {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
}

export const systemClock: Clock = { now: () => Date.now(), after: systemAfter };

/** Schedules `fn` on `clock` (or the system timers when it has none); returns the cancel. */
export function scheduleOn(clock: Clock, ms: number, fn: () => void): () => void {
  return (clock.after ?? systemAfter)(ms, fn);
}
