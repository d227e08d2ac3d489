import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, agentTypes, filterAgents, groupIntoBands, isFilterActive, listedCount } from '../../../src/renderer/src/model/agent-bands.js';
import { agent } from './fixtures.js';

const AGENTS = [
  agent({ name: 'supervisor', type: 'supervisor', ownership: 'repo', location: 'remote', owner: 'team' }),
  agent({ name: 'review', type: 'review', ownership: 'repo', location: 'remote', status: 'busy', owner: 'team' }),
  agent({ name: 'workspace', type: 'workspace', ownership: 'user', location: 'local', owner: 'ada' }),
  agent({ name: 'worker-2', type: 'worker', ownership: 'task', location: 'remote', status: 'unreachable' }),
  agent({ name: 'worker-1', type: 'worker', ownership: 'task', location: 'local', status: 'idle' }),
];

describe('groupIntoBands', () => {
  it('puts each agent in its ownership band, bands in screen order', () => {
    const bands = groupIntoBands(filterAgents(AGENTS, EMPTY_FILTER));
    expect(bands.map((band) => band.title)).toEqual(['Team · repo', 'Mine · user', 'Workers · task']);
    expect(bands.map((band) => band.agents.map((a) => a.name))).toEqual([
      ['review', 'supervisor'],
      ['workspace'],
      ['worker-1', 'worker-2'],
    ]);
  });

  it('always returns the three bands, empty ones included', () => {
    const bands = groupIntoBands([AGENTS[2]!]);
    expect(bands.map((band) => band.agents.length)).toEqual([0, 1, 0]);
  });
});

describe('filterAgents', () => {
  const names = (filter: Partial<typeof EMPTY_FILTER>): string[] =>
    filterAgents(AGENTS, { ...EMPTY_FILTER, ...filter }).map((a) => a.name);

  it('filters by any of several statuses', () => {
    expect(names({ statuses: ['busy', 'unreachable'] })).toEqual(['review', 'worker-2']);
  });

  it('filters by location', () => {
    expect(names({ location: 'local' })).toEqual(['worker-1', 'workspace']);
    expect(names({ location: 'remote' })).toEqual(['review', 'supervisor', 'worker-2']);
  });

  it('filters by type', () => {
    expect(names({ type: 'worker' })).toEqual(['worker-1', 'worker-2']);
  });

  it('searches name, type and owner, case-insensitively', () => {
    expect(names({ search: 'WORK' })).toEqual(['worker-1', 'worker-2', 'workspace']);
    expect(names({ search: ' team ' })).toEqual(['review', 'supervisor']);
    expect(names({ search: 'nobody' })).toEqual([]);
  });

  it('combines filters', () => {
    expect(names({ type: 'worker', location: 'remote', statuses: ['unreachable'] })).toEqual(['worker-2']);
  });

  it('returns the same record objects, so a shallow compare sees no change', () => {
    const first = filterAgents(AGENTS, EMPTY_FILTER);
    const second = filterAgents(AGENTS, EMPTY_FILTER);
    expect(second).not.toBe(first);
    second.forEach((record, i) => expect(record).toBe(first[i]));
  });
});

describe('filter helpers', () => {
  it('isFilterActive ignores a blank search', () => {
    expect(isFilterActive(EMPTY_FILTER)).toBe(false);
    expect(isFilterActive({ ...EMPTY_FILTER, search: '   ' })).toBe(false);
    expect(isFilterActive({ ...EMPTY_FILTER, location: 'local' })).toBe(true);
  });

  it('agentTypes lists distinct types sorted', () => {
    expect(agentTypes(AGENTS)).toEqual(['review', 'supervisor', 'worker', 'workspace']);
  });
});

describe("the desktop's own person", () => {
  const me = agent({ name: 'user', type: 'person', ownership: 'user', location: 'local', owner: 'ada' });
  const alice = agent({ name: 'alice.user', type: 'person', ownership: 'user', location: 'remote', owner: 'alice' });

  it('is not listed, counted or offered as a type; another member’s person is', () => {
    const all = [...AGENTS, me, alice];
    expect(filterAgents(all, EMPTY_FILTER).map((a) => a.name)).not.toContain('user');
    expect(filterAgents(all, { ...EMPTY_FILTER, type: 'person' }).map((a) => a.name)).toEqual(['alice.user']);
    expect(listedCount(all)).toBe(AGENTS.length + 1);
    expect(listedCount([me])).toBe(0);
    expect(agentTypes([me])).toEqual([]);
    expect(agentTypes([me, alice])).toEqual(['person']);
  });
});
