import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NameConflict, NoSuchAgent } from '../../../src/shared/errors.js';
import type { RegistryFixture } from './registry-fixture.js';
import { T0, openFixture, registration, tableCounts } from './registry-fixture.js';

let f: RegistryFixture;
beforeEach(() => {
  f = openFixture();
});
afterEach(() => f.close());

describe('register', () => {
  it('fills in ownership from the type, status active, lastHeartbeat now', () => {
    const agent = f.registry.register(registration({ type: 'supervisor', name: 'sup' }));
    expect(agent).toMatchObject({
      name: 'sup',
      ownership: 'repo',
      status: 'active',
      registeredAt: T0,
      lastHeartbeat: T0,
      load: { current: 0, max: 0 },
      capabilities: [],
      tags: {},
      metadata: {},
      revision: 1,
    });
    expect(f.registry.get({ repo: 'switchyard', name: 'sup' })).toEqual(agent);
  });

  it('is idempotent on instanceId: one row, registeredAt kept, fields updated', () => {
    const first = f.registry.register(registration({ capabilities: ['ts'], tags: { region: 'eu' } }));
    f.clock.advance(5_000);
    const second = f.registry.register(
      registration({ capabilities: ['ts', 'go'], tags: { region: 'us' }, endpoint: 'ws://127.0.0.1:7001/x' }),
    );
    expect(tableCounts(f.db).agents).toBe(1);
    expect(second.registeredAt).toBe(first.registeredAt);
    expect(second.lastHeartbeat).toBe(T0 + 5_000);
    expect(second.revision).toBeGreaterThan(first.revision);
    expect(f.registry.discover()).toEqual([second]);
    // The side data followed: the old capability set and tag are gone from the filters.
    expect(f.registry.discover({ capabilities: ['go'] })).toHaveLength(1);
    expect(f.registry.discover({ region: 'eu' })).toHaveLength(0);
    expect(f.registry.discover({ region: 'us' })).toHaveLength(1);
  });

  it('rejects a second live instance claiming a held name with NameConflict, writing nothing', () => {
    const held = f.registry.register(registration());
    const revision = f.registry.revision();
    expect(() => f.registry.register(registration({ instanceId: 'someone-else' }))).toThrow(NameConflict);
    expect(f.registry.revision()).toBe(revision);
    expect(f.registry.get({ repo: 'switchyard', name: 'agent-a' })).toEqual(held);
  });

  it('treats busy and idle holders as live', () => {
    f.registry.register(registration({ status: 'busy' }));
    expect(() => f.registry.register(registration({ instanceId: 'other' }))).toThrow(NameConflict);
    f.registry.setStatus({ repo: 'switchyard', name: 'agent-a' }, 'idle');
    expect(() => f.registry.register(registration({ instanceId: 'other' }))).toThrow(NameConflict);
  });

  it('lets the same name live in another repo', () => {
    f.registry.register(registration());
    f.registry.register(registration({ repo: 'other-repo', instanceId: 'other' }));
    expect(f.registry.discover().map((a) => a.repo)).toEqual(['other-repo', 'switchyard']);
  });

  it.each(['unreachable', 'terminated'] as const)('lets a newcomer take over a name whose holder is %s', (status) => {
    f.registry.register(registration({ capabilities: ['old'] }));
    f.registry.setStatus({ repo: 'switchyard', name: 'agent-a' }, status);
    f.clock.advance(1_000);
    const taken = f.registry.register(registration({ instanceId: 'replacement', capabilities: ['new'] }));
    expect(taken).toMatchObject({ instanceId: 'replacement', status: 'active', registeredAt: T0 + 1_000 });
    expect(tableCounts(f.db).agents).toBe(1);
    expect(f.registry.discover({ capabilities: ['old'] })).toEqual([]);
  });

  it('moves an instance that re-registers under another name, keeping registeredAt', () => {
    f.registry.register(registration({ name: 'before' }));
    f.clock.advance(2_000);
    const moved = f.registry.register(registration({ name: 'after', instanceId: 'instance-before' }));
    expect(moved.registeredAt).toBe(T0);
    expect(f.registry.discover().map((a) => a.name)).toEqual(['after']);
  });

  it('treats the same instanceId in another repo or with another type as a different agent', () => {
    f.registry.register(registration({ name: 'one' }));
    f.registry.register(registration({ name: 'two', instanceId: 'instance-one', type: 'reviewer' }));
    f.registry.register(registration({ name: 'three', instanceId: 'instance-one', repo: 'elsewhere' }));
    expect(f.registry.discover().map((a) => a.name)).toEqual(['one', 'three', 'two']);
  });

  it('does not move an instance onto a name a live agent holds', () => {
    f.registry.register(registration({ name: 'one' }));
    f.registry.register(registration({ name: 'two' }));
    expect(() => f.registry.register(registration({ name: 'two', instanceId: 'instance-one' }))).toThrow(NameConflict);
    expect(f.registry.discover().map((a) => a.name)).toEqual(['one', 'two']);
  });
});

describe('heartbeat, setStatus, deregister', () => {
  const ref = { repo: 'switchyard', name: 'agent-a' };

  it('heartbeat sets lastHeartbeat, and load and status when given', () => {
    f.registry.register(registration({ load: { current: 1, max: 4 } }));
    f.clock.advance(3_000);
    expect(f.registry.heartbeat(ref)).toMatchObject({ lastHeartbeat: T0 + 3_000, load: { current: 1, max: 4 } });
    const busy = f.registry.heartbeat(ref, { current: 4, max: 4 }, 'busy');
    expect(busy).toMatchObject({ status: 'busy', load: { current: 4, max: 4 } });
    expect(f.registry.get(ref)).toEqual(busy);
  });

  it('setStatus merges metadata key by key', () => {
    f.registry.register(registration({ metadata: { version: '1.2', pid: 42 } }));
    const down = f.registry.setStatus(ref, 'terminated', { reason: 'exited with code 1', pid: null });
    expect(down.metadata).toEqual({ version: '1.2', pid: null, reason: 'exited with code 1' });
    expect(f.registry.get(ref)?.status).toBe('terminated');
  });

  it('an explicitly terminated agent stays terminated on a late heartbeat', () => {
    f.registry.register(registration());
    f.registry.setStatus(ref, 'terminated');
    expect(f.registry.heartbeat(ref).status).toBe('terminated');
  });

  it('deregister removes the record and says whether there was one', () => {
    f.registry.register(registration({ capabilities: ['ts'], tags: { region: 'eu' } }));
    expect(f.registry.deregister(ref)).toBe(true);
    expect(f.registry.get(ref)).toBeUndefined();
    expect(tableCounts(f.db)).toEqual({ agents: 0, attributes: 0 });
    expect(f.registry.deregister(ref)).toBe(false);
  });

  it('heartbeat and setStatus on an unknown agent throw NoSuchAgent', () => {
    expect(() => f.registry.heartbeat(ref)).toThrow(NoSuchAgent);
    expect(() => f.registry.setStatus(ref, 'idle')).toThrow(NoSuchAgent);
    expect(f.registry.revision()).toBe(0);
  });
});
