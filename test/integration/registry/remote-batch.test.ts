/**
 * The batched remote writes (applyRemote / applyRemoteParsed): what a user would notice
 * is discovery — every filter must see exactly the records held, however they got there.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemoteRecord } from '../../../src/core/registry/registry-input.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
import type { RegistryFixture } from './registry-fixture.js';
import { T0, openFixture, registration } from './registry-fixture.js';

let f: RegistryFixture;
beforeEach(() => {
  f = openFixture();
});
afterEach(() => f.close());

const REPO = 'switchyard';

function remote(name: string, revision: number, fields: Partial<AgentInfo> = {}): RemoteRecord {
  return RemoteRecord.parse({
    name,
    type: 'worker',
    location: 'remote',
    ownership: 'task',
    repo: REPO,
    owner: 'team',
    endpoint: '',
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
  });
}

const names = (query: Parameters<RegistryFixture['registry']['discover']>[0]) =>
  f.registry.discover({ repo: REPO, ...query }).map((a) => a.name);

describe('applyRemoteParsed', () => {
  it('applies a large batch whose records every filter finds', () => {
    const records = Array.from({ length: 1_000 }, (_, i) =>
      remote(`w-${i}`, i + 1, { capabilities: i % 2 ? ['plan', 'review'] : ['plan'], tags: { region: i % 3 ? 'eu' : 'us' } }),
    );
    expect(f.registry.applyRemoteParsed(records, 1_000)).toBe(1_000);
    expect(f.registry.remoteRevision()).toBe(1_000);
    expect(names({}).length).toBe(1_000);
    expect(names({ capabilities: ['review'] }).length).toBe(500);
    expect(names({ capabilities: ['review'], region: 'us' }).length).toBe(167);
    expect(f.registry.get({ repo: REPO, name: 'w-7' })).toEqual(records[7]);
  });

  it('rewrites capabilities and tags when a newer record changes them, and only the newer one wins', () => {
    f.registry.applyRemoteParsed([remote('a', 1)], 1);
    f.registry.applyRemoteParsed([remote('a', 3, { capabilities: ['review'], tags: { region: 'us', tier: 'gpu' } }), remote('a', 2)], 3);
    expect(names({ capabilities: ['plan'] })).toEqual([]);
    expect(names({ capabilities: ['review'], tags: { tier: 'gpu' }, region: 'us' })).toEqual(['a']);
    expect(names({ region: 'eu' })).toEqual([]);
  });

  it('applies a name given twice in one batch as two batches would', () => {
    expect(f.registry.applyRemoteParsed([remote('a', 1, { status: 'busy' }), remote('a', 2, { capabilities: ['x'] })], 2)).toBe(2);
    expect(f.registry.get({ repo: REPO, name: 'a' })).toMatchObject({ status: 'active', capabilities: ['x'], revision: 2 });
    expect(names({ capabilities: ['x'] })).toEqual(['a']);
    expect(names({ capabilities: ['plan'] })).toEqual([]);
  });

  it('takes over a dead local holder in place, with the remote record’s capabilities', () => {
    f.registry.register(registration({ name: 'a', capabilities: ['local-only'] }));
    f.registry.setStatus({ repo: REPO, name: 'a' }, 'terminated');
    expect(f.registry.applyRemoteParsed([remote('a', 5)], 5)).toBe(1);
    expect(f.registry.get({ repo: REPO, name: 'a' })?.location).toBe('remote');
    expect(names({ capabilities: ['local-only'] })).toEqual([]);
    expect(names({ capabilities: ['plan'], region: 'eu' })).toEqual(['a']);
  });
});
