import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentQuery } from '../../../src/shared/registry-query.js';
import type { RegistryFixture } from './registry-fixture.js';
import { openFixture, registration } from './registry-fixture.js';

let f: RegistryFixture;

/**
 * Six agents that differ in every filtered field, so each filter has something to exclude.
 */
beforeEach(() => {
  f = openFixture();
  const add = (name: string, fields: Parameters<typeof registration>[0]): void => {
    f.clock.advance(1_000);
    f.registry.register(registration({ name, ...fields }));
  };
  add('sup-1', {
    type: 'supervisor',
    location: 'remote',
    owner: 'team',
    capabilities: ['plan', 'review'],
    tags: { region: 'eu', tier: 'gpu' },
    load: { current: 1, max: 4 },
  });
  add('ws-ada', {
    type: 'workspace',
    owner: 'ada',
    capabilities: ['typescript', 'review'],
    tags: { region: 'eu' },
    load: { current: 3, max: 4 },
    status: 'busy',
  });
  add('ws-bob', {
    type: 'workspace',
    owner: 'bob',
    capabilities: ['typescript'],
    tags: { region: 'us' },
    load: { current: 0, max: 2 },
    status: 'idle',
  });
  add('Worker-7', {
    type: 'worker',
    location: 'remote',
    owner: 'team',
    capabilities: ['typescript', 'tests'],
    tags: { region: 'us', tier: 'gpu' },
    load: { current: 2, max: 2 },
  });
  add('worker-8', { type: 'worker', owner: 'ada', capabilities: ['tests'], load: { current: 0, max: 0 }, status: 'unreachable' });
  add('ws-ada', { repo: 'other-repo', type: 'workspace', owner: 'ada', instanceId: 'ada-other', capabilities: ['typescript'] });
});
afterEach(() => f.close());

const names = (query?: AgentQuery): string[] => f.registry.discover(query).map((a) => `${a.repo}/${a.name}`);
const inRepo = (query: AgentQuery): string[] =>
  f.registry.discover({ repo: 'switchyard', ...query }).map((a) => a.name);

describe('discover', () => {
  it('with no query lists every agent by name, ignoring case, then by repo', () => {
    expect(names()).toEqual([
      'switchyard/sup-1',
      'switchyard/Worker-7',
      'switchyard/worker-8',
      'other-repo/ws-ada',
      'switchyard/ws-ada',
      'switchyard/ws-bob',
    ]);
  });

  it('filters by repo', () => {
    expect(names({ repo: 'other-repo' })).toEqual(['other-repo/ws-ada']);
    expect(names({ repo: 'nowhere' })).toEqual([]);
  });

  it('filters by type', () => {
    expect(inRepo({ type: 'workspace' })).toEqual(['ws-ada', 'ws-bob']);
  });

  it('filters by capabilities, all of them', () => {
    expect(inRepo({ capabilities: ['typescript'] })).toEqual(['Worker-7', 'ws-ada', 'ws-bob']);
    expect(inRepo({ capabilities: ['typescript', 'review'] })).toEqual(['ws-ada']);
    expect(inRepo({ capabilities: ['typescript', 'review', 'tests'] })).toEqual([]);
  });

  it('filters by status, any of the set; an empty set does not filter', () => {
    expect(inRepo({ status: ['busy'] })).toEqual(['ws-ada']);
    expect(inRepo({ status: ['idle', 'unreachable'] })).toEqual(['worker-8', 'ws-bob']);
    expect(inRepo({ status: [] })).toHaveLength(5);
  });

  it('filters by location, ownership and owner', () => {
    expect(inRepo({ location: 'remote' })).toEqual(['sup-1', 'Worker-7']);
    expect(inRepo({ ownership: 'repo' })).toEqual(['sup-1']);
    expect(inRepo({ ownership: 'task' })).toEqual(['Worker-7', 'worker-8']);
    expect(inRepo({ owner: 'ada' })).toEqual(['worker-8', 'ws-ada']);
  });

  it('filters by tags, all key=value pairs', () => {
    expect(inRepo({ tags: { tier: 'gpu' } })).toEqual(['sup-1', 'Worker-7']);
    expect(inRepo({ tags: { tier: 'gpu', region: 'eu' } })).toEqual(['sup-1']);
    expect(inRepo({ tags: { tier: 'cpu' } })).toEqual([]);
  });

  it('filters by region, which is the region tag', () => {
    expect(inRepo({ region: 'us' })).toEqual(['Worker-7', 'ws-bob']);
    // region and a different tags.region cannot both hold.
    expect(inRepo({ region: 'us', tags: { region: 'eu' } })).toEqual([]);
  });

  it('filters by maxLoad on current/max; no declared max counts as no load', () => {
    expect(inRepo({ maxLoad: 0.25 })).toEqual(['sup-1', 'worker-8', 'ws-bob']);
    expect(inRepo({ maxLoad: 0.75 })).toEqual(['sup-1', 'worker-8', 'ws-ada', 'ws-bob']);
    expect(inRepo({ maxLoad: 0 })).toEqual(['worker-8', 'ws-bob']);
  });

  it('matches text as a case-insensitive substring of the name', () => {
    expect(inRepo({ text: 'WORKER' })).toEqual(['Worker-7', 'worker-8']);
    expect(inRepo({ text: 'ws-' })).toEqual(['ws-ada', 'ws-bob']);
    // Characters LIKE would treat specially are plain here.
    expect(inRepo({ text: '%' })).toEqual([]);
    expect(inRepo({ text: '_' })).toEqual([]);
  });

  it('combines filters with AND', () => {
    expect(
      inRepo({ type: 'workspace', capabilities: ['typescript'], status: ['busy', 'idle'], region: 'eu', maxLoad: 1 }),
    ).toEqual(['ws-ada']);
  });

  it('sorts by each key, both ways, and limits', () => {
    expect(inRepo({ sort: 'name', order: 'desc' })).toEqual(['ws-bob', 'ws-ada', 'worker-8', 'Worker-7', 'sup-1']);
    expect(inRepo({ sort: 'type' }).slice(0, 1)).toEqual(['sup-1']);
    expect(inRepo({ sort: 'load' })).toEqual(['worker-8', 'ws-bob', 'sup-1', 'ws-ada', 'Worker-7']);
    expect(inRepo({ sort: 'load', order: 'desc', limit: 2 })).toEqual(['Worker-7', 'ws-ada']);
    expect(inRepo({ sort: 'registeredAt' })).toEqual(['sup-1', 'ws-ada', 'ws-bob', 'Worker-7', 'worker-8']);
    f.clock.advance(1_000);
    f.registry.heartbeat({ repo: 'switchyard', name: 'sup-1' });
    expect(inRepo({ sort: 'lastHeartbeat', order: 'desc', limit: 1 })).toEqual(['sup-1']);
    expect(names({ limit: 1 })).toEqual(['switchyard/sup-1']);
  });

  it('returns whole records, the same as get', () => {
    const [found] = f.registry.discover({ repo: 'switchyard', type: 'supervisor' });
    expect(found).toEqual(f.registry.get({ repo: 'switchyard', name: 'sup-1' }));
    expect(found).toMatchObject({ capabilities: ['plan', 'review'], tags: { region: 'eu', tier: 'gpu' } });
  });
});
