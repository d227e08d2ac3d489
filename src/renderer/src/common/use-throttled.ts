/**
 * A value that follows its source at most once per `ms`.
 *
 * The store changes at most once per frame; a view that would repaint a large area for
 * each change (the route graph, the scrolling trace table) follows it a few times a
 * second instead. The first value and the last one always arrive (a trailing update,
 * scheduled only when something changed: nothing runs while the source is still).
 */
import { useEffect, useRef, useState } from 'react';

export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const lastAt = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = lastAt.current + ms - performance.now();
    if (wait <= 0) {
      lastAt.current = performance.now();
      setShown(value);
      return;
    }
    const timer = setTimeout(() => {
      lastAt.current = performance.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, shown, ms]);
  return shown;
}

/** What {@link useThrottledSelector} needs of a store (a zustand store has it). */
export interface SubscribableStore<S> {
  getState(): S;
  subscribe(listener: (state: S) => void): () => void;
}

/**
 * A slice of a store that follows it at most once per `ms`, without re-rendering the
 * component on the store's other updates.
 *
 * `useThrottled(useStore(selector), ms)` re-renders its component on every store
 * update only to learn that it should wait; a large view (the route graph) then runs
 * its whole body once a frame for nothing. This subscribes outside React instead and
 * sets state only when the throttled value is due. The first change after a quiet
 * spell lands at once, later ones at most once per `ms`, and the last always lands.
 * `selector` must be stable (module level or memoised).
 */
export function useThrottledSelector<S, T>(store: SubscribableStore<S>, selector: (state: S) => T, ms: number): T {
  const [shown, setShown] = useState(() => selector(store.getState()));
  useEffect(() => {
    let lastAt = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let current = selector(store.getState());
    const deliver = (): void => {
      timer = null;
      lastAt = performance.now();
      setShown(() => current);
    };
    // The store may have moved between render and subscribing (or store/selector changed):
    // catch up once, now that we listen. Subscribing to an external store is what
    // effects are for; useSyncExternalStore cannot throttle.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setShown(() => current);
    const unsubscribe = store.subscribe((state) => {
      const next = selector(state);
      if (Object.is(next, current)) return;
      current = next;
      if (timer !== null) return;
      const wait = lastAt + ms - performance.now();
      if (wait <= 0) deliver();
      else timer = setTimeout(deliver, wait);
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [store, selector, ms]);
  return shown;
}
