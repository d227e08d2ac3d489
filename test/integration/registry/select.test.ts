import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NoAgentAvailable } from '../../../src/shared/errors.js';
import type { RegistryFixture } from './registry-fixture.js';
import { openFixture, registration } from './registry-fixture.js';

let f: RegistryFixture;
beforeEach(() => {
  f = openFixture();
});
afterEach(() => f.close());

const workers = { repo: 'switchyard', type: 'worker' };

describe('select', () => {
  it('least-loaded picks the lowest current/max, then the lowest current', () => {
    f.registry.register(registration({ name: 'half', load: { current: 2, max: 4 } }));
    f.registry.register(registration({ name: 'quarter', load: { current: 2, max: 8 } }));
    f.registry.register(registration({ name: 'quarter-small', load: { current: 1, max: 4 } }));
    expect(f.registry.select(workers, 'least-loaded').name).toBe('quarter-small');
  });

  it('never chooses unreachable, terminated or fully loaded agents', () => {
    f.registry.register(registration({ name: 'gone', status: 'terminated' }));
    f.registry.register(registration({ name: 'lost', status: 'unreachable' }));
    f.registry.register(registration({ name: 'full', load: { current: 3, max: 3 } }));
    f.registry.register(registration({ name: 'over', load: { current: 5, max: 3 } }));
    for (const strategy of ['least-loaded', 'round-robin', 'availability'] as const) {
      expect(() => f.registry.select(workers, strategy)).toThrow(NoAgentAvailable);
    }
    f.registry.register(registration({ name: 'busy-but-room', status: 'busy', load: { current: 9, max: 10 } }));
    for (const strategy of ['least-loaded', 'round-robin', 'availability'] as const) {
      expect(f.registry.select(workers, strategy).name).toBe('busy-but-room');
    }
  });

  it('an agent with no declared max (0) is never full', () => {
    f.registry.register(registration({ name: 'unbounded', load: { current: 50, max: 0 } }));
    expect(f.registry.select(workers, 'least-loaded').name).toBe('unbounded');
  });

  it('honours the query filters, and a status filter cannot bring back an unreachable agent', () => {
    f.registry.register(registration({ name: 'eu', tags: { region: 'eu' } }));
    f.registry.register(registration({ name: 'us', tags: { region: 'us' } }));
    f.registry.register(registration({ name: 'lost', status: 'unreachable', tags: { region: 'eu' } }));
    expect(f.registry.select({ ...workers, region: 'us' }, 'least-loaded').name).toBe('us');
    expect(() => f.registry.select({ ...workers, status: ['unreachable'] }, 'availability')).toThrow(NoAgentAvailable);
  });

  it('NoAgentAvailable names the query and the strategy', () => {
    const error = (() => {
      try {
        f.registry.select({ repo: 'switchyard', type: 'reviewer', capabilities: ['rust'] }, 'round-robin');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(NoAgentAvailable);
    expect((error as Error).name).toBe('NoAgentAvailable');
    expect((error as Error).message).toContain('"type":"reviewer"');
    expect((error as Error).message).toContain('"capabilities":["rust"]');
    expect((error as Error).message).toContain('round-robin');
  });

  it('round-robin is fair: 1,000 selections among 7 agents give each 1000/7 ±1', () => {
    for (let i = 0; i < 7; i++) f.registry.register(registration({ name: `w-${i}`, load: { current: i, max: 10 } }));
    f.registry.register(registration({ name: 'other-type', type: 'reviewer' }));
    const counts = new Map<string, number>();
    for (let i = 0; i < 1_000; i++) {
      const chosen = f.registry.select(workers, 'round-robin').name;
      counts.set(chosen, (counts.get(chosen) ?? 0) + 1);
    }
    expect(counts.size).toBe(7);
    for (const count of counts.values()) expect(Math.abs(count - 1000 / 7)).toBeLessThanOrEqual(1);
  });

  it('round-robin skips agents that stop fitting and takes in new ones', () => {
    for (const name of ['a', 'b', 'c']) f.registry.register(registration({ name }));
    const pick = (): string => f.registry.select(workers, 'round-robin').name;
    expect([pick(), pick()]).toEqual(['a', 'b']);
    f.registry.setStatus({ repo: 'switchyard', name: 'c' }, 'unreachable');
    f.registry.register(registration({ name: 'd' }));
    expect([pick(), pick(), pick()]).toEqual(['d', 'a', 'b']);
  });

  it('round-robin keeps a separate rotation per query, regardless of sort and limit', () => {
    for (const name of ['a', 'b', 'c']) f.registry.register(registration({ name, tags: { region: 'eu' } }));
    expect(f.registry.select(workers, 'round-robin').name).toBe('a');
    expect(f.registry.select({ ...workers, region: 'eu' }, 'round-robin').name).toBe('a');
    expect(f.registry.select({ ...workers, limit: 5, sort: 'load' }, 'round-robin').name).toBe('b');
  });

  it('availability puts active and idle before busy, then lower load, then a fresher heartbeat', () => {
    f.registry.register(registration({ name: 'busy-empty', status: 'busy', load: { current: 0, max: 4 } }));
    f.registry.register(registration({ name: 'idle-half', status: 'idle', load: { current: 2, max: 4 } }));
    expect(f.registry.select(workers, 'availability').name).toBe('idle-half');

    f.registry.register(registration({ name: 'active-quarter', load: { current: 1, max: 4 } }));
    expect(f.registry.select(workers, 'availability').name).toBe('active-quarter');

    // Same status and load: the one heard from more recently wins.
    f.registry.register(registration({ name: 'active-quarter-2', load: { current: 1, max: 4 } }));
    f.clock.advance(4_000);
    f.registry.heartbeat({ repo: 'switchyard', name: 'active-quarter-2' });
    expect(f.registry.select(workers, 'availability').name).toBe('active-quarter-2');
  });

  it('availability uses the agent’s own heartbeat interval for freshness', () => {
    // Both silent for 10 s; one promised a heartbeat a minute, the other every 5 s.
    f.registry.register(registration({ name: 'fast', metadata: { heartbeatIntervalMs: 5_000 } }));
    f.registry.register(registration({ name: 'slow', metadata: { heartbeatIntervalMs: 60_000 } }));
    f.clock.advance(10_000);
    expect(f.registry.select(workers, 'availability').name).toBe('slow');
  });
});
