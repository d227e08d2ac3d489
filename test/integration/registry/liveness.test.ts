import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIVENESS } from '../../../src/core/registry/liveness.js';
import { createSqliteRegistry } from '../../../src/core/registry/sqlite-registry.js';
import { ValidationError } from '../../../src/shared/errors.js';
import type { RegistryFixture } from './registry-fixture.js';
import { T0, nextTurn, openFixture, registration } from './registry-fixture.js';

let f: RegistryFixture;
afterEach(() => f.close());

const policy = { heartbeatIntervalMs: 1_000, failureThreshold: 3, staleAfterMs: 10_000, retainTerminatedMs: 60_000 };
const ref = { repo: 'switchyard', name: 'agent-a' };
const status = (): string | undefined => f.registry.get(ref)?.status;

describe('liveness sweep', () => {
  it('uses the documented defaults when none are given', () => {
    f = openFixture();
    expect(f.registry.liveness).toEqual(DEFAULT_LIVENESS);
    expect(DEFAULT_LIVENESS).toEqual({
      heartbeatIntervalMs: 5_000,
      failureThreshold: 3,
      staleAfterMs: 300_000,
      retainTerminatedMs: 3_600_000,
    });
  });

  it('marks unreachable after failureThreshold missed intervals, terminated when stale, deletes after retention', () => {
    f = openFixture(policy);
    f.registry.register(registration());
    expect(f.registry.sweep(T0 + 3_000)).toEqual({ unreachable: 0, terminated: 0, deleted: 0 });
    expect(status()).toBe('active');

    expect(f.registry.sweep(T0 + 3_001)).toEqual({ unreachable: 1, terminated: 0, deleted: 0 });
    expect(status()).toBe('unreachable');
    expect(f.registry.sweep(T0 + 5_000)).toEqual({ unreachable: 0, terminated: 0, deleted: 0 });

    expect(f.registry.sweep(T0 + 10_001)).toEqual({ unreachable: 0, terminated: 1, deleted: 0 });
    expect(status()).toBe('terminated');

    expect(f.registry.sweep(T0 + 10_001 + 60_000)).toEqual({ unreachable: 0, terminated: 0, deleted: 0 });
    expect(f.registry.sweep(T0 + 10_002 + 60_000)).toEqual({ unreachable: 0, terminated: 0, deleted: 1 });
    expect(f.registry.get(ref)).toBeUndefined();
  });

  it('reads the clock when sweep() is called without a time', () => {
    f = openFixture(policy);
    f.registry.register(registration());
    f.clock.advance(3_001);
    expect(f.registry.sweep().unreachable).toBe(1);
  });

  it('uses an agent’s own metadata.heartbeatIntervalMs', () => {
    f = openFixture(policy);
    f.registry.register(registration({ name: 'slow', metadata: { heartbeatIntervalMs: 2_000 } }));
    f.registry.register(registration({ name: 'normal' }));
    expect(f.registry.sweep(T0 + 5_000).unreachable).toBe(1);
    expect(f.registry.get({ repo: 'switchyard', name: 'normal' })?.status).toBe('unreachable');
    expect(f.registry.get({ repo: 'switchyard', name: 'slow' })?.status).toBe('active');
    expect(f.registry.sweep(T0 + 6_001).unreachable).toBe(1);
  });

  it('never terminates before the unreachable window of a long-interval agent has passed', () => {
    f = openFixture(policy);
    f.registry.register(registration({ metadata: { heartbeatIntervalMs: 5_000 } }));
    expect(f.registry.sweep(T0 + 10_001).terminated).toBe(0);
    expect(f.registry.sweep(T0 + 15_001)).toEqual({ unreachable: 0, terminated: 1, deleted: 0 });
  });

  it('a heartbeat keeps an agent alive and revives one the sweep gave up on', () => {
    f = openFixture(policy);
    f.registry.register(registration({ status: 'busy' }));
    f.clock.set(T0 + 2_500);
    f.registry.heartbeat(ref);
    expect(f.registry.sweep(T0 + 5_000).unreachable).toBe(0);
    expect(f.registry.sweep(T0 + 5_501).unreachable).toBe(1);
    f.clock.set(T0 + 6_000);
    expect(f.registry.heartbeat(ref).status).toBe('active');
    expect(f.registry.sweep(T0 + 20_000).terminated).toBe(1);
    f.clock.set(T0 + 20_001);
    expect(f.registry.heartbeat(ref).status).toBe('active');
  });

  it('counts retention from when the agent was terminated, not from its last heartbeat', () => {
    f = openFixture(policy);
    f.registry.register(registration());
    f.clock.set(T0 + 1_000);
    f.registry.setStatus(ref, 'terminated', { reason: 'stopped by the user' });
    expect(f.registry.sweep(T0 + 60_999).deleted).toBe(0);
    expect(f.registry.sweep(T0 + 61_001).deleted).toBe(1);
  });

  it('leaves remote agents to the coordinator', () => {
    f = openFixture(policy);
    f.registry.register(registration({ location: 'remote' }));
    expect(f.registry.sweep(T0 + 10_000_000)).toEqual({ unreachable: 0, terminated: 0, deleted: 0 });
    expect(status()).toBe('active');
  });

  it('announces what it changed in one batch, with one new revision', async () => {
    f = openFixture(policy);
    for (const name of ['a', 'b', 'c']) f.registry.register(registration({ name }));
    f.registry.setStatus({ repo: 'switchyard', name: 'c' }, 'terminated');
    await nextTurn();
    f.batches.length = 0;
    const before = f.registry.revision();
    f.registry.sweep(T0 + 3_600_001);
    expect(f.registry.revision()).toBe(before + 1);
    await nextTurn();
    expect(f.batches).toHaveLength(1);
    const [batch] = f.batches;
    expect(batch?.revision).toBe(before + 1);
    expect(batch?.upserts.map((a) => [a.name, a.status, a.revision])).toEqual([
      ['a', 'terminated', before + 1],
      ['b', 'terminated', before + 1],
    ]);
    expect(batch?.removals).toEqual([{ repo: 'switchyard', name: 'c' }]);
  });

  it('a sweep that changes nothing leaves the revision alone', () => {
    f = openFixture(policy);
    f.registry.register(registration());
    const before = f.registry.revision();
    f.registry.sweep(T0 + 1);
    expect(f.registry.revision()).toBe(before);
  });

  it('rejects a bad policy', () => {
    f = openFixture();
    const open = (liveness: object): unknown => createSqliteRegistry(f.db, { clock: f.clock, liveness, sweepEveryMs: false });
    expect(() => open({ failureThreshold: 0 })).toThrow(ValidationError);
    expect(() => open({ heartbeatIntervalMs: Number.NaN })).toThrow(ValidationError);
    expect(() => open({ staleAfterMs: -1 })).toThrow(ValidationError);
  });
});
