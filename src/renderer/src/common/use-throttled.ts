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
