/**
 * Waiting in tests: on a condition, never for a fixed time.
 *
 * `eventually` returns as soon as the condition holds, so a fast machine does not pay
 * for a slow one's margin; `consistently` is its mirror for "nothing happens": it fails
 * the moment the condition breaks, and is only for windows the behaviour itself defines
 * (a heartbeat bound, a retry that must not come).
 */

/** What `eventually` hands back: the check's value, known to be truthy. */
export type Truthy<T> = Exclude<Awaited<T>, undefined | null | false | 0 | ''>;

const POLL_MS = 20;
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, POLL_MS));

/**
 * Re-checks `check` until it returns something truthy, then returns that value.
 *
 * A check that throws counts as "not yet"; the last error is named if time runs out.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Truthy<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await tick();
  }
}

/** Checks `check` throughout `forMs` and fails as soon as it returns false. */
export async function consistently(check: () => boolean | Promise<boolean>, forMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + forMs;
  do {
    if (!(await check())) throw new Error(`${what} stopped holding before ${forMs} ms had passed`);
    await tick();
  } while (Date.now() < deadline);
  if (!(await check())) throw new Error(`${what} stopped holding before ${forMs} ms had passed`);
}
