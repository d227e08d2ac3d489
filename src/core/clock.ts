/** Time as the core sees it: injectable so liveness and backoff can be tested. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
