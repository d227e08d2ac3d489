/**
 * A local one-second clock for "how long ago" displays.
 *
 * It ticks only while something displays an age, and each display re-renders only
 * when its own text changes (useSyncExternalStore compares the strings). It reads no
 * data from the core: the ages move on their own between events.
 */
import { useCallback, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
let now = Date.now();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const notify of listeners) notify();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** Whatever `format(now)` gives, kept current to the second. */
export function useTicking<T extends string | number | boolean>(format: (now: number) => T): T {
  const getSnapshot = useCallback(() => format(now), [format]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
