import { describe, expect, it } from 'vitest';
import type { HybridConfig } from '../../../src/shared/config.js';
import { defaultHybridConfig } from '../../../src/shared/config.js';
import { effectiveTypeLists, ownershipOf, placementOf } from '../../../src/shared/ownership.js';

const hybrid = (overrides: Partial<HybridConfig> = {}): HybridConfig => ({
  ...defaultHybridConfig(),
  enabled: true,
  coordinationUrl: 'wss://nats.example.com',
  ...overrides,
});

describe('ownershipOf', () => {
  it.each([
    ['supervisor', 'repo'],
    ['merge-queue', 'repo'],
    ['review', 'repo'],
    ['workspace', 'user'],
    ['worker', 'task'],
    ['my-custom-linter', 'task'],
    ['Supervisor', 'task'],
  ] as const)('%s is %s-owned', (type, ownership) => {
    expect(ownershipOf(type)).toBe(ownership);
  });
});

describe('placementOf', () => {
  it.each(['supervisor', 'merge-queue', 'review', 'workspace', 'worker', 'unknown-type'])(
    'hybrid off runs %s locally',
    (type) => {
      expect(placementOf(type, defaultHybridConfig())).toBe('local');
    },
  );

  it.each([
    ['workspace', 'local'],
    ['supervisor', 'remote'],
    ['merge-queue', 'remote'],
    ['worker', 'remote'],
    // In neither of the source's lists: ownership decides.
    ['review', 'remote'],
    ['unknown-type', 'remote'],
  ] as const)('hybrid on without lists uses the source lists: %s → %s', (type, location) => {
    expect(placementOf(type, hybrid())).toBe(location);
  });

  it.each([
    ['review', { localAgentTypes: ['review'], remoteAgentTypes: [] }, 'local'],
    ['workspace', { localAgentTypes: [], remoteAgentTypes: ['workspace'] }, 'remote'],
    ['worker', { localAgentTypes: ['workspace'], remoteAgentTypes: ['supervisor'] }, 'remote'],
    ['workspace', { localAgentTypes: ['review'], remoteAgentTypes: ['supervisor'] }, 'local'],
    ['supervisor', { localAgentTypes: ['review'], remoteAgentTypes: ['worker'] }, 'remote'],
  ] as const)('explicit lists place %s (%j) → %s', (type, lists, location) => {
    expect(placementOf(type, hybrid({ ...lists, localAgentTypes: [...lists.localAgentTypes], remoteAgentTypes: [...lists.remoteAgentTypes] }))).toBe(location);
  });

  it('the source defaults apply when hybrid is enabled without lists', () => {
    const lists = effectiveTypeLists(hybrid());
    expect(lists.local).toEqual(['workspace']);
    expect(lists.remote).toEqual(['supervisor', 'merge-queue', 'worker']);
    expect(hybrid().fallbackToLocal).toBe(false);
  });

  it('the embedded default is hybrid disabled', () => {
    expect(defaultHybridConfig().enabled).toBe(false);
  });
});
