import { describe, expect, it } from 'vitest';
import { pickAnimated } from '../../../src/renderer/src/routes/flow-elements.js';
import type { RouteEdge } from '../../../src/renderer/src/model/route-graph.js';
import { MAX_ANIMATED_EDGES } from '../../../src/renderer/src/model/route-graph.js';
import { busiestEdges, emptyRouteWindow, foldRouteBatch } from '../../../src/renderer/src/model/route-window.js';
import type { TraceSummary } from '../../../src/shared/routing-contract.js';
import { trace } from './traces-fixtures.js';

const NOW = 1_000_000;
const MINUTE = 60_000;
const edgesAt = (rows: TraceSummary[], now = NOW): RouteEdge[] =>
  busiestEdges(foldRouteBatch(emptyRouteWindow(), rows, new Map(), now).edges, 60).edges;

describe('pickAnimated', () => {
  it('keeps dots on the routes that had them while they stay active, then fills with the busiest', () => {
    const rows = Array.from({ length: MAX_ANIMATED_EDGES + 4 }, (_, i) => trace({ createdAt: NOW - 100, from: 'a', to: `b${i}` }));
    const routes = edgesAt(rows);
    const quiet = trace({ createdAt: NOW - 10 * MINUTE, from: 'q', to: 'r' });
    const first = pickAnimated(routes, NOW, () => false);
    expect(first.size).toBe(MAX_ANIMATED_EDGES);
    const last = routes[routes.length - 1] as RouteEdge;
    const again = pickAnimated(routes, NOW, (key) => key === last.key);
    expect(again.has(last.key)).toBe(true);
    expect(again.size).toBe(MAX_ANIMATED_EDGES);
    // A route with nothing in flight and no message for a while carries no dot.
    expect(pickAnimated(edgesAt([quiet], NOW - 9 * MINUTE), NOW, () => true).size).toBe(0);
  });
});
