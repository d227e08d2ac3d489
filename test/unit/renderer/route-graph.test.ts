import { describe, expect, it } from 'vitest';
import { edgeWidth, layoutLanes } from '../../../src/renderer/src/model/route-graph.js';
import type { RouteEdge } from '../../../src/renderer/src/model/route-graph.js';
import { emptyRouteWindow, foldRouteBatch } from '../../../src/renderer/src/model/route-window.js';
import type { TraceSummary } from '../../../src/shared/routing-contract.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
import { agent } from './fixtures.js';
import { trace } from './traces-fixtures.js';

const NOW = 1_000_000;

/** The edges of a window holding `rows`, busiest first. */
const edgesOf = (rows: TraceSummary[]): RouteEdge[] =>
  [...foldRouteBatch(emptyRouteWindow(), rows, new Map(), NOW).edges.values()].sort((a, b) => b.count - a.count);

describe('edgeWidth', () => {
  it('weights thickness by the log of the count, bounded', () => {
    expect(edgeWidth(1)).toBe(1.5);
    expect(edgeWidth(8)).toBeGreaterThan(edgeWidth(2));
    expect(edgeWidth(1e9)).toBe(9);
  });
});

describe('layoutLanes', () => {
  const byKey = (agents: AgentInfo[]) => new Map(agents.map((a) => [`${a.repo}/${a.name}`, a] as const));

  it('puts local agents in the top lane and remote ones below, ordered by band then name', () => {
    const agents = byKey([
      agent({ name: 'zed', ownership: 'task' }),
      agent({ name: 'ws', ownership: 'user', type: 'workspace' }),
      agent({ name: 'sup', ownership: 'repo', location: 'remote', type: 'supervisor' }),
    ]);
    const { nodes, lanes } = layoutLanes(agents, []);
    const local = nodes.filter((n) => n.lane === 'local');
    expect(local.map((n) => n.name)).toEqual(['ws', 'zed']);
    const remote = nodes.find((n) => n.name === 'sup');
    expect(remote?.lane).toBe('remote');
    expect(remote!.y).toBeGreaterThan(lanes.local.y + lanes.local.height);
    expect(local[0]!.y).toBe(local[1]!.y);
    expect(local[0]!.x).toBeLessThan(local[1]!.x);
  });

  it('gives unregistered names (the UI user) a node in the lane the route stamped', () => {
    const rows = [trace({ createdAt: NOW, from: 'user', to: 'ws' })];
    const { nodes } = layoutLanes(byKey([agent({ name: 'ws', ownership: 'user' })]), edgesOf(rows));
    expect(nodes.map((n) => [n.name, n.lane, n.agent === null])).toEqual([
      ['ws', 'local', false],
      ['user', 'local', true],
    ]);
  });

  it('with many agents shows only those with routes and counts the idle ones', () => {
    const many = byKey(Array.from({ length: 100 }, (_, i) => agent({ name: `w${String(i).padStart(3, '0')}` })));
    const rows = [trace({ createdAt: NOW, from: 'w000', to: 'w001' })];
    const { nodes, lanes } = layoutLanes(many, edgesOf(rows));
    expect(nodes.map((n) => n.name)).toEqual(['w000', 'w001']);
    expect(lanes.local.idle).toBe(98);
  });

  it('wraps a lane into rows', () => {
    const six = byKey(Array.from({ length: 7 }, (_, i) => agent({ name: `a${i}` })));
    const { nodes } = layoutLanes(six, [], 3);
    expect(new Set(nodes.map((n) => n.y)).size).toBe(3);
  });
});
