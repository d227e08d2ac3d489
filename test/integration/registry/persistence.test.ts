import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RegistryFixture } from './registry-fixture.js';
import { openFixture, registration } from './registry-fixture.js';

let f: RegistryFixture;
beforeEach(() => {
  f = openFixture();
});
afterEach(() => f.close());

describe('persistence', () => {
  it('keeps agents, revision and remote revision across a close and reopen', () => {
    f.registry.register(registration({ name: 'a', capabilities: ['ts'], tags: { region: 'eu' }, metadata: { pid: 7 } }));
    f.registry.register(registration({ name: 'b', load: { current: 1, max: 2 } }));
    f.registry.heartbeat({ repo: 'switchyard', name: 'b' }, { current: 2, max: 2 }, 'busy');
    const remote = { ...f.registry.get({ repo: 'switchyard', name: 'a' })!, name: 'r', instanceId: 'r-1', location: 'remote' as const, revision: 40 };
    f.registry.applyRemote([remote], 41);
    const agents = f.registry.discover();
    const revision = f.registry.revision();

    f.reopen();
    expect(f.registry.discover()).toEqual(agents);
    expect(f.registry.revision()).toBe(revision);
    expect(f.registry.remoteRevision()).toBe(41);
    expect(f.registry.discover({ capabilities: ['ts'], region: 'eu' }).map((a) => a.name)).toEqual(['a', 'r']);
  });

  it('keeps the revision when the last change was a deletion', () => {
    f.registry.register(registration({ name: 'a' }));
    f.registry.register(registration({ name: 'b' }));
    f.registry.deregister({ repo: 'switchyard', name: 'b' });
    f.registry.deregister({ repo: 'switchyard', name: 'a' });
    expect(f.registry.revision()).toBe(4);
    f.reopen();
    expect(f.registry.revision()).toBe(4);
    expect(f.registry.register(registration({ name: 'c' })).revision).toBe(5);
  });

  it('keeps registration idempotent across a restart', () => {
    const first = f.registry.register(registration());
    f.reopen();
    f.clock.advance(60_000);
    const again = f.registry.register(registration());
    expect(again.registeredAt).toBe(first.registeredAt);
    expect(f.registry.discover()).toHaveLength(1);
  });
});
