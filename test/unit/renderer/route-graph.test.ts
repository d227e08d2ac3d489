import { describe, expect, it } from 'vitest';
import { aggregateEdges, edgeKey, edgeWidth, layoutLanes } from '../../../src/renderer/src/routes/route-graph.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
import { agent } from './fixtures.js';
import { trace } from './traces-fixtures.js';

const NOW = 1_000_000;

describe('aggregateEdges', () => {
  it('folds recent messages into one weighted edge per sender → receiver', () => {
    const rows = [
      trace({ createdAt: NOW - 10, from: 'a', to: 'b' }),
      trace({ createdAt: NOW - 20, from: 'b', to: 'a' }),
      trace({ createdAt: NOW - 30, from: 'a', to: 'b', status: 'published' }),
      trace({ createdAt: NOW - 10 * 60_000, from: 'a', to: 'b' }), // outside the window
    ];
    const { edges, messages } = aggregateEdges(rows, NOW, 5 * 60_000);
    expect(messages).toBe(3);
    const ab = edges.find((e) => e.key === edgeKey('demo', 'a', 'b'));
    expect(ab).toMatchObject({ count: 2, inFlight: 1, style: 'local', byVia: { local: 2, nats: 0, outbox: 0, fallback: 0 } });
    expect(ab?.recent.map((r) => r.createdAt)).toEqual([NOW - 10, NOW - 30]);
    expect(edges[0]?.key).toBe(ab?.key); // busiest first
  });

  it('draws an edge queued while any message waits in the outbox, fallback or failed by its newest', () => {
    const remote = { sourceLocation: 'local' as const, destLocation: 'remote' as const, routedAt: NOW };
    const rows = [
      trace({ createdAt: NOW - 1, from: 'a', to: 'r', route: { ...remote, routedVia: 'nats' } }),
      trace({ createdAt: NOW - 2, from: 'a', to: 'r', status: 'queued', route: { ...remote, routedVia: 'outbox' } }),
      trace({ createdAt: NOW - 3, from: 'a', to: 'f', route: { ...remote, destLocation: 'local', routedVia: 'fallback' } }),
      trace({ createdAt: NOW - 4, from: 'a', to: 'x', status: 'rejected', route: null }),
    ];
    const styles = Object.fromEntries(aggregateEdges(rows, NOW).edges.map((e) => [e.to, e.style]));
    expect(styles).toEqual({ r: 'outbox', f: 'fallback', x: 'failed' });
  });

  it('keeps the busiest edges and counts the rest', () => {
    const rows = Array.from({ length: 10 }, (_, i) => trace({ createdAt: NOW - i, from: 'a', to: `b${i % 5}` }));
    const set = aggregateEdges(rows, NOW, 60_000, 3);
    expect(set.edges).toHaveLength(3);
    expect(set.hidden).toBe(2);
  });

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
    const { nodes } = layoutLanes(byKey([agent({ name: 'ws', ownership: 'user' })]), aggregateEdges(rows, NOW).edges);
    expect(nodes.map((n) => [n.name, n.lane, n.agent === null])).toEqual([
      ['ws', 'local', false],
      ['user', 'local', true],
    ]);
  });

  it('with many agents shows only those with routes and counts the idle ones', () => {
    const many = byKey(Array.from({ length: 100 }, (_, i) => agent({ name: `w${String(i).padStart(3, '0')}` })));
    const rows = [trace({ createdAt: NOW, from: 'w000', to: 'w001' })];
    const { nodes, lanes } = layoutLanes(many, aggregateEdges(rows, NOW).edges);
    expect(nodes.map((n) => n.name)).toEqual(['w000', 'w001']);
    expect(lanes.local.idle).toBe(98);
  });

  it('wraps a lane into rows', () => {
    const six = byKey(Array.from({ length: 7 }, (_, i) => agent({ name: `a${i}` })));
    const { nodes } = layoutLanes(six, [], 3);
    expect(new Set(nodes.map((n) => n.y)).size).toBe(3);
  });
});
