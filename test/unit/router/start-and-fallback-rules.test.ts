import { describe, expect, it } from 'vitest';
import { isTeamType } from '../../../src/core/router/type-fallback.js';
import { startPlacementOf } from '../../../src/shared/start-placement.js';

const config = (over: Partial<{ enabled: boolean; localAgentTypes: string[]; remoteAgentTypes: string[]; fallbackToLocal: boolean }> = {}) => ({
  enabled: true,
  localAgentTypes: [] as string[],
  remoteAgentTypes: [] as string[],
  fallbackToLocal: false,
  ...over,
});

describe('where agents.start runs', () => {
  it.each([
    ['hybrid off: every type here', 'supervisor', config({ enabled: false, fallbackToLocal: true }), 'local'],
    ['the local list wins', 'builder', config({ localAgentTypes: ['builder'], remoteAgentTypes: ['x'] }), 'local'],
    ['the remote list', 'builder', config({ remoteAgentTypes: ['builder'], localAgentTypes: ['y'] }), 'remote'],
    ['the remote list, fallback on', 'builder', config({ remoteAgentTypes: ['builder'], localAgentTypes: ['y'], fallbackToLocal: true }), 'remote-or-local'],
    ['no lists: the source lists (workspace local)', 'workspace', config(), 'local'],
    ['no lists: the source lists (worker remote)', 'worker', config(), 'remote'],
    ['in neither list, user-owned: here', 'claude-code', config({ remoteAgentTypes: ['z'] }), 'local'],
    ['in neither list, repo-owned: the team', 'review', config({ localAgentTypes: ['z'] }), 'remote'],
    ['in neither list, task-owned: the team', 'echo', config({ localAgentTypes: ['z'] }), 'remote'],
  ] as const)('%s', (_what, type, cfg, expected) => {
    expect(startPlacementOf(type, cfg)).toBe(expected);
  });
});

describe('which destinations a local stand-in may serve', () => {
  const lists = { localAgentTypes: ['echo'], remoteAgentTypes: ['builder'] };
  it('serves team types: listed remote, repo-owned, or a remote record named by its type', () => {
    expect(isTeamType('builder', undefined, lists)).toBe(true);
    expect(isTeamType('review', undefined, lists)).toBe(true);
    expect(isTeamType('planner', { location: 'remote', type: 'planner' }, lists)).toBe(true);
  });
  it('leaves alone our own agents and remote agents that are not a type', () => {
    expect(isTeamType('review', { location: 'local', type: 'review' }, lists)).toBe(false);
    expect(isTeamType('worker-7', { location: 'remote', type: 'worker' }, lists)).toBe(false);
    expect(isTeamType('echo', undefined, lists)).toBe(false);
  });
});
