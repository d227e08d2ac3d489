/**
 * The in-flight marker of a route: one dot gliding along the edge's curve.
 *
 * It is an HTML element animated with the Web Animations API on `transform` and
 * `opacity` only, so Chromium runs it on the compositor: no style, layout or paint on
 * the main thread per frame. The SVG `animateMotion` dots it replaces were SMIL, run
 * and repainted on the main thread every frame, which without a GPU cost the Routes
 * view most of its frame budget. The curve is sampled into a few straight steps,
 * which at these sizes reads as the curve itself.
 */
import { memo, useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import type { EdgeStyle } from '../model/route-graph.js';

/** Straight steps the curve is sampled into. */
const STEPS = 12;

export interface DotPath {
  /** Start, control point and end of the edge's quadratic curve, in flow coordinates. */
  sx: number;
  sy: number;
  cx: number;
  cy: number;
  tx: number;
  ty: number;
}

/** The point at `t` (0…1) on the quadratic curve. */
export function pointOnCurve(path: DotPath, t: number): [number, number] {
  const u = 1 - t;
  return [u * u * path.sx + 2 * u * t * path.cx + t * t * path.tx, u * u * path.sy + 2 * u * t * path.cy + t * t * path.ty];
}

/** Keyframes along the curve: fading in after the source and out before the target. */
export function dotKeyframes(path: DotPath, steps = STEPS): Keyframe[] {
  return Array.from({ length: steps + 1 }, (_, i) => {
    const t = i / steps;
    const [x, y] = pointOnCurve(path, t);
    return { transform: `translate(${x.toFixed(1)}px, ${y.toFixed(1)}px)`, opacity: i === 0 || i === steps ? 0 : 1, offset: t };
  });
}

let reducedMotion: MediaQueryList | null = null;
/** The user's setting, read when a dot starts (the query object is made once). */
function prefersReducedMotion(): boolean {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return false;
  reducedMotion ??= window.matchMedia('(prefers-reduced-motion: reduce)');
  return reducedMotion.matches;
}

export const InFlightDot = memo(function InFlightDot(props: DotPath & { style: EdgeStyle; size: number; seconds: number }): ReactNode {
  const { sx, sy, cx, cy, tx, ty, seconds } = props;
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const path = { sx, sy, cx, cy, tx, ty };
    if (prefersReducedMotion() || typeof element.animate !== 'function') {
      // Still: a dot three quarters of the way, towards the receiver.
      const [x, y] = pointOnCurve(path, 0.75);
      element.style.transform = `translate(${x}px, ${y}px)`;
      return;
    }
    const animation = element.animate(dotKeyframes(path), { duration: seconds * 1000, iterations: Infinity, easing: 'linear' });
    return () => animation.cancel();
  }, [sx, sy, cx, cy, tx, ty, seconds]);
  return (
    <div
      ref={ref}
      className={`route-pulse route-pulse--${props.style}`}
      style={{ width: props.size, height: props.size, marginLeft: -props.size / 2, marginTop: -props.size / 2 }}
      aria-hidden="true"
      data-testid="route-in-flight"
    />
  );
});
