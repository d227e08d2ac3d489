import { describe, expect, it } from 'vitest';
import type { AvailabilityInput } from '../../../src/core/registry/selection.js';
import {
  RotationCursors,
  availabilityScore,
  isLive,
  pickMostAvailable,
  rotationKey,
} from '../../../src/core/registry/selection.js';

const NOW = 1_000_000;
const agent = (fields: Partial<AvailabilityInput> = {}): AvailabilityInput => ({
  status: 'active',
  load: { current: 0, max: 4 },
  lastHeartbeat: NOW,
  heartbeatIntervalMs: 5_000,
  ...fields,
});
const score = (fields: Partial<AvailabilityInput>): number => availabilityScore(agent(fields), NOW, 3);

describe('availabilityScore', () => {
  it('is 111 for an idle-or-active, empty agent heard from just now', () => {
    expect(score({})).toBe(111);
    expect(score({ status: 'idle' })).toBe(111);
  });

  it('ranks any active or idle agent above any busy one', () => {
    const worstReady = score({ load: { current: 3.99, max: 4 }, lastHeartbeat: NOW - 14_999 });
    const bestBusy = score({ status: 'busy' });
    expect(worstReady).toBeGreaterThan(bestBusy);
  });

  it('prefers lower load, then a fresher heartbeat', () => {
    expect(score({ load: { current: 1, max: 4 } })).toBeGreaterThan(score({ load: { current: 2, max: 4 } }));
    expect(score({ lastHeartbeat: NOW - 1_000 })).toBeGreaterThan(score({ lastHeartbeat: NOW - 2_000 }));
    // Load weighs ten times freshness: 10% less load beats a completely stale heartbeat.
    expect(score({ load: { current: 0, max: 10 }, lastHeartbeat: NOW - 15_000 })).toBeCloseTo(
      score({ load: { current: 1, max: 10 }, lastHeartbeat: NOW }),
    );
  });

  it('measures freshness against the agent’s own interval', () => {
    const age = { lastHeartbeat: NOW - 10_000 };
    expect(score({ ...age, heartbeatIntervalMs: 60_000 })).toBeGreaterThan(score({ ...age, heartbeatIntervalMs: 5_000 }));
    expect(score({ ...age, heartbeatIntervalMs: 1_000 })).toBe(110);
  });

  it('treats max 0 as no declared limit and caps overload at full', () => {
    expect(score({ load: { current: 100, max: 0 } })).toBe(111);
  });

  it('is -Infinity for agents that must never be chosen', () => {
    expect(score({ status: 'unreachable' })).toBe(-Infinity);
    expect(score({ status: 'terminated' })).toBe(-Infinity);
    expect(score({ load: { current: 4, max: 4 } })).toBe(-Infinity);
    expect(score({ load: { current: 5, max: 4 } })).toBe(-Infinity);
  });
});

describe('pickMostAvailable', () => {
  it('returns the best index, the first on ties, -1 when none may be chosen', () => {
    expect(pickMostAvailable([1, 3, 3, 2], (n) => n)).toBe(1);
    expect(pickMostAvailable([-Infinity, -Infinity], (n) => n)).toBe(-1);
    expect(pickMostAvailable([], (n: number) => n)).toBe(-1);
  });
});

describe('rotationKey', () => {
  it('ignores sort, order, limit, key order and list order', () => {
    const a = rotationKey({ repo: 'r', capabilities: ['b', 'a'], status: ['idle', 'active'], sort: 'load', limit: 3 });
    const b = rotationKey({ status: ['active', 'idle'], capabilities: ['a', 'b', 'a'], repo: 'r', order: 'desc' });
    expect(a).toBe(b);
    expect(rotationKey({ repo: 'r' })).not.toBe(rotationKey({ repo: 's' }));
    expect(rotationKey({ tags: { a: '1', b: '2' } })).toBe(rotationKey({ tags: { b: '2', a: '1' } }));
  });
});

describe('RotationCursors', () => {
  it('forgets the least recently used rotation beyond its capacity', () => {
    const cursors = new RotationCursors(2);
    cursors.set('a', { repo: 'r', name: '1' });
    cursors.set('b', { repo: 'r', name: '2' });
    cursors.set('a', { repo: 'r', name: '3' });
    cursors.set('c', { repo: 'r', name: '4' });
    expect(cursors.get('b')).toBeUndefined();
    expect(cursors.get('a')).toEqual({ repo: 'r', name: '3' });
  });
});

describe('isLive', () => {
  it('counts active, idle and busy as alive', () => {
    expect(['active', 'idle', 'busy', 'unreachable', 'terminated'].map((s) => isLive(s as never))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
