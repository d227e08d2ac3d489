import { describe, expect, it } from 'vitest';
import { ENDED_GRACE_MS, NO_ENDINGS, foldEnded, foldedIds, isFolded, nextFoldAt, noteEndings } from '../../../src/renderer/src/model/ended-agents.js';
import { layoutLanes } from '../../../src/renderer/src/model/route-graph.js';
import { emptyRouteWindow, foldRouteBatch } from '../../../src/renderer/src/model/route-window.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
import { agent } from './fixtures.js';
import { trace } from './traces-fixtures.js';

const NOW = 10_000_000;
const byKey = (agents: AgentInfo[]) => new Map(agents.map((a) => [`${a.repo}/${a.name}`, a] as const));

describe('noteEndings', () => {
  it('dates an ending it saw happen at that moment, and one it found already ended at the last heartbeat', () => {
    const before = byKey([agent({ name: 'w1', lastHeartbeat: NOW - 5_000 })]);
    const after = byKey([
      agent({ name: 'w1', status: 'terminated', lastHeartbeat: NOW - 5_000 }),
      agent({ name: 'w2', status: 'terminated', lastHeartbeat: NOW - 600_000 }),
      agent({ name: 'w3', status: 'busy' }),
    ]);
    const ended = noteEndings(NO_ENDINGS, before, after, NOW);
    expect([...ended]).toEqual([
      ['demo/w1', NOW],
      ['demo/w2', NOW - 600_000],
    ]);
  });

  it('keeps the first end time, forgets an agent that came back, and returns the same map when nothing changed', () => {
    const ended = noteEndings(NO_ENDINGS, byKey([agent({ name: 'w1' })]), byKey([agent({ name: 'w1', status: 'terminated' })]), NOW);
    const still = byKey([agent({ name: 'w1', status: 'terminated' })]);
    expect(noteEndings(ended, still, still, NOW + 30_000)).toBe(ended);
    const back = noteEndings(ended, still, byKey([agent({ name: 'w1', status: 'active' })]), NOW + 40_000);
    expect(back.size).toBe(0);
  });
});

describe('folding ended workers', () => {
  const worker = agent({ name: 'w1', status: 'terminated', ownership: 'task' });
  const ended = new Map([['demo/w1', NOW]]);

  it('folds a terminated worker only once its grace period is over', () => {
    expect(isFolded(worker, ended, NOW + ENDED_GRACE_MS - 1)).toBe(false);
    expect(isFolded(worker, ended, NOW + ENDED_GRACE_MS)).toBe(true);
  });

  it('never folds a team or personal agent, nor a worker still running', () => {
    const late = NOW + 10 * ENDED_GRACE_MS;
    expect(isFolded(agent({ name: 'sup', status: 'terminated', ownership: 'repo' }), NO_ENDINGS, late)).toBe(false);
    expect(isFolded(agent({ name: 'ws', status: 'terminated', ownership: 'user' }), NO_ENDINGS, late)).toBe(false);
    expect(isFolded(agent({ name: 'w2', status: 'busy', ownership: 'task' }), NO_ENDINGS, late)).toBe(false);
  });

  it('counts what it folds, and shows everything when asked to', () => {
    const live = agent({ name: 'w2', ownership: 'task' });
    const late = NOW + ENDED_GRACE_MS;
    expect(foldEnded([worker, live], ended, late, false)).toEqual({ shown: [live], folded: 1 });
    expect(foldEnded([worker, live], ended, late, true)).toEqual({ shown: [worker, live], folded: 1 });
    expect([...foldedIds(byKey([worker, live]), ended, late, false)]).toEqual(['demo/w1']);
    expect(foldedIds(byKey([worker, live]), ended, late, true).size).toBe(0);
  });

  it('names the next moment a worker folds', () => {
    expect(nextFoldAt([worker], ended, NOW + 1_000)).toBe(NOW + ENDED_GRACE_MS);
    expect(nextFoldAt([worker], ended, NOW + ENDED_GRACE_MS)).toBeNull();
  });
});

describe('the Routes graph with folded workers', () => {
  const agents = byKey([agent({ name: 'ws', ownership: 'user' }), agent({ name: 'gone', status: 'terminated' }), agent({ name: 'quiet', status: 'terminated' })]);
  const folded = new Set(['demo/gone', 'demo/quiet']);

  it('drops a folded worker without routes, and keeps one a route in the window still touches', () => {
    const edges = [...foldRouteBatch(emptyRouteWindow(), [trace({ from: 'ws', to: 'gone', createdAt: NOW })], new Map(), NOW).edges.values()];
    const names = layoutLanes(agents, edges, undefined, folded).nodes.map((n) => n.name);
    expect(names).toEqual(['ws', 'gone']);
    expect(layoutLanes(agents, edges, undefined, folded).nodes.find((n) => n.name === 'gone')?.agent?.status).toBe('terminated');
    expect(layoutLanes(agents, edges).nodes.map((n) => n.name).sort()).toEqual(['gone', 'quiet', 'ws']);
  });
});
