import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentInfo } from '../../../src/shared/domain.js';
import type { RegistryFixture } from './registry-fixture.js';
import { T0, nextTurn, openFixture, registration } from './registry-fixture.js';

let f: RegistryFixture;
beforeEach(() => {
  f = openFixture();
});
afterEach(() => f.close());

function remote(name: string, revision: number, fields: Partial<AgentInfo> = {}): AgentInfo {
  return {
    name,
    type: 'supervisor',
    location: 'remote',
    ownership: 'repo',
    repo: 'switchyard',
    owner: 'team',
    endpoint: `nats://sy.switchyard.inbox.${name}`,
    instanceId: `coord-${name}`,
    registeredAt: T0 - 10_000,
    lastHeartbeat: T0 - 1_000,
    status: 'active',
    capabilities: ['plan'],
    tags: { region: 'eu' },
    load: { current: 0, max: 4 },
    metadata: {},
    revision,
    ...fields,
  };
}

const held = (name: string): AgentInfo | undefined => f.registry.get({ repo: 'switchyard', name });

describe('applyRemote', () => {
  it('upserts remote records as given and tracks the highest remote revision', () => {
    expect(f.registry.applyRemote([remote('sup', 3), remote('mq', 5, { type: 'merge-queue' })], 5)).toBe(2);
    expect(held('sup')).toEqual(remote('sup', 3));
    expect(f.registry.remoteRevision()).toBe(5);
    expect(f.registry.revision()).toBe(1);
  });

  it('ignores an older or equal revision of a record it holds', () => {
    f.registry.applyRemote([remote('sup', 7, { status: 'busy' })], 7);
    expect(f.registry.applyRemote([remote('sup', 6, { status: 'idle' })], 8)).toBe(0);
    expect(f.registry.applyRemote([remote('sup', 7, { status: 'idle' })], 8)).toBe(0);
    expect(held('sup')?.status).toBe('busy');
    expect(f.registry.applyRemote([remote('sup', 9, { status: 'idle' })], 9)).toBe(1);
    expect(held('sup')?.status).toBe('idle');
  });

  it('never lowers the remote revision', () => {
    f.registry.applyRemote([remote('sup', 9)], 9);
    f.registry.applyRemote([remote('other', 2)], 2);
    expect(f.registry.remoteRevision()).toBe(9);
    expect(held('other')).toBeDefined();
  });

  it('skips records that are not remote, and never replaces a live local agent', () => {
    f.registry.register(registration({ name: 'mine' }));
    const local = { ...remote('elsewhere', 4), location: 'local' as const };
    expect(f.registry.applyRemote([local, remote('mine', 5)], 5)).toBe(0);
    expect(held('elsewhere')).toBeUndefined();
    expect(held('mine')?.location).toBe('local');
    expect(f.registry.remoteRevision()).toBe(5);
  });

  it('replaces a local holder that is no longer alive', () => {
    f.registry.register(registration({ name: 'sup' }));
    f.registry.setStatus({ repo: 'switchyard', name: 'sup' }, 'terminated');
    expect(f.registry.applyRemote([remote('sup', 5)], 5)).toBe(1);
    expect(held('sup')?.location).toBe('remote');
  });

  it('keeps the coordinator’s revision on a record after a local status change', () => {
    f.registry.applyRemote([remote('sup', 5)], 5);
    f.registry.setStatus({ repo: 'switchyard', name: 'sup' }, 'unreachable');
    expect(held('sup')?.revision).toBe(5);
    expect(f.registry.applyRemote([remote('sup', 6)], 6)).toBe(1);
    expect(held('sup')?.status).toBe('active');
  });

  it('announces the applied records in one batch', async () => {
    await nextTurn();
    f.batches.length = 0;
    f.registry.applyRemote([remote('a', 1), remote('b', 2)], 2);
    f.registry.applyRemote([remote('a', 3, { status: 'busy' })], 3);
    await nextTurn();
    expect(f.batches).toHaveLength(1);
    expect(f.batches[0]?.revision).toBe(2);
    expect(f.batches[0]?.upserts.map((a) => [a.name, a.status])).toEqual([
      ['a', 'busy'],
      ['b', 'active'],
    ]);
  });
});

describe('removeRemote', () => {
  it('removes remote records deleted at or after their revision', () => {
    f.registry.applyRemote([remote('a', 3), remote('b', 8)], 8);
    expect(f.registry.removeRemote([{ repo: 'switchyard', name: 'a' }, { repo: 'switchyard', name: 'b' }], 6)).toBe(1);
    expect(held('a')).toBeUndefined();
    // b was written at 8, after the deletion at 6: it stays.
    expect(held('b')).toBeDefined();
    expect(f.registry.remoteRevision()).toBe(8);
    expect(f.registry.removeRemote([{ repo: 'switchyard', name: 'b' }], 10)).toBe(1);
    expect(f.registry.remoteRevision()).toBe(10);
  });

  it('never removes a local record', () => {
    f.registry.register(registration({ name: 'mine' }));
    expect(f.registry.removeRemote([{ repo: 'switchyard', name: 'mine' }], 100)).toBe(0);
    expect(held('mine')).toBeDefined();
  });
});
