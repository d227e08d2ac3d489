/**
 * Who may register what: ownership from the type, reserved team names, user prefixes,
 * the coordinator's own marks, and quotas per identity.
 */
import { describe, expect, it } from 'vitest';
import type { RegistrationClaim, RegistrationRules } from '../../../src/server/authorize.js';
import { assertAgentQuota, assertMayRegister, assertMetadataQuota } from '../../../src/server/authorize.js';
import { QuotaSettings, quotaFor } from '../../../src/server/config.js';
import { QuotaExceeded } from '../../../src/shared/errors.js';

const alice = { user: 'alice', role: 'member' as const, repos: ['demo'] };
const admin = { user: 'ada', role: 'admin' as const, repos: ['*'] };
const rules: RegistrationRules = { requireUserPrefix: false, teamAgents: new Set(['supervisor', 'merge-queue', 'review', 'docs-bot']), instancePrefix: 'coord-a/' };
const claim = (overrides: Partial<RegistrationClaim> = {}): RegistrationClaim => ({
  name: 'alice.workspace', type: 'workspace', instanceId: 'i-1', tags: {}, ...overrides,
});
const refusal = (run: () => unknown): { name: string; message: string } => {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
};

describe('registration rules', () => {
  it('takes ownership from the type and refuses a request that claims another', () => {
    expect(assertMayRegister(alice, claim(), rules)).toBe('user');
    expect(assertMayRegister(alice, claim({ ownership: 'user' }), rules)).toBe('user');
    expect(assertMayRegister(alice, claim({ name: 'alice.w1', type: 'worker' }), rules)).toBe('task');
    // The report's case: a member's `supervisor` registered as a task agent.
    const forged = refusal(() => assertMayRegister(alice, claim({ name: 'supervisor', type: 'supervisor', ownership: 'task' }), rules));
    expect(forged.name).toBe('ValidationError');
    expect(forged.message).toMatch(/ownership: type "supervisor" is repo-owned/);
    expect(refusal(() => assertMayRegister(alice, claim({ name: 'supervisor', type: 'supervisor' }), rules)).message).toMatch(/only admins/);
  });

  it('reserves the team agents the coordinator lists, by name and by type, for admins', () => {
    expect(refusal(() => assertMayRegister(alice, claim({ name: 'docs-bot', type: 'helper' }), rules)).name).toBe('NotAllowed');
    expect(refusal(() => assertMayRegister(alice, claim({ name: 'alice.docs', type: 'docs-bot' }), rules)).message).toMatch(/team agent/);
    expect(assertMayRegister(admin, claim({ name: 'docs-bot', type: 'docs-bot' }), rules)).toBe('task');
  });

  it('keeps every member name out of other users\u2019 prefixes, and requires the own prefix on all names when configured', () => {
    expect(refusal(() => assertMayRegister(alice, claim({ name: 'bob.evil' }), rules)).message).toMatch(/user "bob"'s prefix/);
    expect(refusal(() => assertMayRegister(alice, claim({ name: 'bob.w', type: 'worker' }), rules)).name).toBe('NotAllowed');
    expect(assertMayRegister(alice, claim({ name: 'helper', type: 'worker' }), rules)).toBe('task');
    const strict = { ...rules, requireUserPrefix: true };
    // Task agents too, not only user-owned ones.
    expect(refusal(() => assertMayRegister(alice, claim({ name: 'helper', type: 'worker' }), strict)).message).toMatch(/alice\.<name>/);
    expect(refusal(() => assertMayRegister(alice, claim({ name: 'bob.evil' }), strict)).name).toBe('NotAllowed');
    expect(assertMayRegister(alice, claim({ name: 'alice.helper', type: 'worker' }), strict)).toBe('task');
  });

  it('refuses the coordinator\u2019s own instance-id prefix and tags from anyone', () => {
    expect(refusal(() => assertMayRegister(alice, claim({ instanceId: 'coord-a/review' }), rules)).message).toMatch(/coord-a\//);
    expect(refusal(() => assertMayRegister(admin, claim({ instanceId: 'coord-a/x' }), rules)).name).toBe('NotAllowed');
    expect(refusal(() => assertMayRegister(alice, claim({ tags: { coordinator: 'coord-b' } }), rules)).message).toMatch(/"coordinator"/);
    expect(refusal(() => assertMayRegister(alice, claim({ tags: { spawnedBy: 'x' } }), rules)).name).toBe('NotAllowed');
    expect(assertMayRegister(alice, claim({ instanceId: 'coord-b-like', tags: { desktop: 'd1' } }), rules)).toBe('user');
  });
});

describe('quotas', () => {
  it('limits metadata to 16 KiB and agents per user by default, with per-user overrides', () => {
    const settings = QuotaSettings.parse({ users: { bob: { agentsPerUser: 2 } } });
    const quota = quotaFor(settings, 'alice');
    expect(quota).toEqual({ metadataBytes: 16 * 1024, agentsPerUser: 100 });
    expect(quotaFor(settings, 'bob')).toEqual({ metadataBytes: 16 * 1024, agentsPerUser: 2 });
    expect(quotaFor(settings, 'constructor')).toEqual(quota);
    // An override inherits what it leaves unset from the defaults.
    expect(quotaFor(QuotaSettings.parse({ metadataBytes: 1024, users: { bob: { agentsPerUser: 2 } } }), 'bob')).toEqual({ metadataBytes: 1024, agentsPerUser: 2 });

    expect(() => assertMetadataQuota({ notes: 'x'.repeat(16 * 1024 - 20) }, quota)).not.toThrow();
    const big = refusal(() => assertMetadataQuota({ notes: 'x'.repeat(16 * 1024) }, quota));
    expect(big).toBeInstanceOf(QuotaExceeded);
    expect(big.message).toMatch(/limit is 16384/);
    expect(() => assertAgentQuota('bob', 1, quotaFor(settings, 'bob'))).not.toThrow();
    expect(refusal(() => assertAgentQuota('bob', 2, quotaFor(settings, 'bob'))).name).toBe('QuotaExceeded');
  });
});
