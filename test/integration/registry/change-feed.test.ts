import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RegistryFixture } from './registry-fixture.js';
import { nextTurn, openFixture, registration } from './registry-fixture.js';

let f: RegistryFixture;
beforeEach(() => {
  f = openFixture();
});
afterEach(() => f.close());

describe('change feed', () => {
  it('bumps the revision by one on every change', () => {
    expect(f.registry.revision()).toBe(0);
    f.registry.register(registration({ name: 'a' }));
    f.registry.heartbeat({ repo: 'switchyard', name: 'a' });
    f.registry.setStatus({ repo: 'switchyard', name: 'a' }, 'idle');
    f.registry.deregister({ repo: 'switchyard', name: 'a' });
    expect(f.registry.revision()).toBe(4);
    // Reads and no-op writes do not.
    f.registry.discover();
    f.registry.deregister({ repo: 'switchyard', name: 'a' });
    expect(f.registry.revision()).toBe(4);
  });

  it('delivers a burst as one batch, each agent once in its latest state', async () => {
    for (let i = 0; i < 100; i++) f.registry.register(registration({ name: `w-${i}` }));
    f.registry.heartbeat({ repo: 'switchyard', name: 'w-1' }, { current: 3, max: 4 }, 'busy');
    f.registry.deregister({ repo: 'switchyard', name: 'w-2' });
    expect(f.batches).toEqual([]);
    await nextTurn();
    expect(f.batches).toHaveLength(1);
    const [batch] = f.batches;
    expect(batch?.revision).toBe(102);
    expect(batch?.upserts).toHaveLength(99);
    expect(batch?.upserts.find((a) => a.name === 'w-1')).toMatchObject({ status: 'busy', revision: 101 });
    expect(batch?.removals).toEqual([{ repo: 'switchyard', name: 'w-2' }]);
  });

  it('reports a re-added agent as an upsert only', async () => {
    f.registry.register(registration());
    f.registry.deregister({ repo: 'switchyard', name: 'agent-a' });
    f.registry.register(registration());
    await nextTurn();
    expect(f.batches[0]?.removals).toEqual([]);
    expect(f.batches[0]?.upserts.map((a) => a.name)).toEqual(['agent-a']);
  });

  it('announces a move as a removal of the old name and an upsert of the new', async () => {
    f.registry.register(registration({ name: 'old' }));
    await nextTurn();
    f.registry.register(registration({ name: 'new', instanceId: 'instance-old' }));
    await nextTurn();
    expect(f.batches[1]).toMatchObject({
      removals: [{ repo: 'switchyard', name: 'old' }],
      upserts: [{ name: 'new' }],
    });
  });

  it('announces nothing for a failed operation, and later batches carry on', async () => {
    f.registry.register(registration());
    await nextTurn();
    expect(() => f.registry.register(registration({ instanceId: 'intruder' }))).toThrow();
    await nextTurn();
    expect(f.batches).toHaveLength(1);
    f.registry.heartbeat({ repo: 'switchyard', name: 'agent-a' });
    await nextTurn();
    expect(f.batches).toHaveLength(2);
  });

  it('keeps delivering to other listeners when one throws, and stops after unsubscribe', async () => {
    const seen: number[] = [];
    const stopBad = f.registry.onChange(() => {
      throw new Error('listener bug');
    });
    const stop = f.registry.onChange((batch) => seen.push(batch.revision));
    const errors = console.error;
    console.error = () => {};
    try {
      f.registry.register(registration());
      await nextTurn();
    } finally {
      console.error = errors;
    }
    stop();
    stopBad();
    f.registry.heartbeat({ repo: 'switchyard', name: 'agent-a' });
    await nextTurn();
    expect(seen).toEqual([1]);
    expect(f.batches.map((b) => b.revision)).toEqual([1, 2]);
  });
});
