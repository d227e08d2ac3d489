import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertMayChange, assertMayCreate, assertMayReplace, assertRepoAccess } from '../../../src/server/authorize.js';
import { loadCoordinatorConfig } from '../../../src/server/config.js';
import { Identities } from '../../../src/server/identities.js';
import { livenessVerdict } from '../../../src/server/liveness.js';
import { redact } from '../../../src/server/log.js';
import { nextWorkerNumber } from '../../../src/server/spawner.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
import { tempDirsPerTest } from '../../helpers/temp-dir.js';
import { deriveSyToken } from '../../../src/core/sy-token.js';

const alice = { user: 'alice', role: 'member' as const, repos: ['demo'] };
const admin = { user: 'ada', role: 'admin' as const, repos: ['*'] };

function agent(overrides: Partial<AgentInfo> = {}): AgentInfo {
  return {
    name: 'a', type: 'workspace', location: 'local', ownership: 'user', repo: 'demo', owner: 'bob', endpoint: '',
    instanceId: 'i1', registeredAt: 0, lastHeartbeat: 0, status: 'active', capabilities: [], tags: {},
    load: { current: 0, max: 1 }, metadata: {}, revision: 1, ...overrides,
  };
}

describe('authorization rules', () => {
  it('isolates repos', () => {
    expect(() => assertRepoAccess(alice, 'demo', undefined)).not.toThrow();
    expect(() => assertRepoAccess(alice, 'other', undefined)).toThrow(/no access/);
    expect(() => assertRepoAccess(admin, 'other', new Set(['demo']))).toThrow(/does not serve/);
  });

  it('keeps repo-owned agents for admins and user agents for their owner', () => {
    expect(() => assertMayCreate(alice, 'repo', 'supervisor', false)).toThrow(/only admins/);
    expect(() => assertMayCreate(admin, 'repo', 'supervisor', false)).not.toThrow();
    expect(() => assertMayCreate(alice, 'user', 'workspace', true)).toThrow(/alice\.<name>/);
    expect(() => assertMayCreate(alice, 'user', 'alice.workspace', true)).not.toThrow();
    expect(() => assertMayChange(alice, agent())).toThrow(/another user/);
    expect(() => assertMayChange(admin, agent())).toThrow(/another user/);
    expect(() => assertMayChange(admin, agent({ ownership: 'task' }))).not.toThrow();
    expect(() => assertMayChange(alice, agent({ ownership: 'repo' }))).toThrow(/only admins/);
  });

  it('lets a name be taken over only when terminated or already the caller’s', () => {
    expect(() => assertMayReplace(alice, agent(), 'i2')).toThrow(/already held/);
    expect(() => assertMayReplace(alice, agent({ status: 'terminated' }), 'i2')).not.toThrow();
    expect(() => assertMayReplace(alice, agent({ owner: 'alice' }), 'i2')).not.toThrow();
  });
});

describe('liveness verdicts', () => {
  const settings = { heartbeatIntervalMs: 1_000, failureThreshold: 3, staleAfterMs: 10_000, retainTerminatedMs: 5_000, sweepIntervalMs: 100 };
  it('goes unreachable, then terminated, then deleted', () => {
    expect(livenessVerdict(agent(), 2_999, settings)).toBeUndefined();
    expect(livenessVerdict(agent(), 3_000, settings)).toBe('unreachable');
    expect(livenessVerdict(agent({ status: 'unreachable' }), 5_000, settings)).toBeUndefined();
    expect(livenessVerdict(agent({ status: 'unreachable' }), 10_000, settings)).toBe('terminated');
    expect(livenessVerdict(agent({ status: 'terminated' }), 14_999, settings)).toBeUndefined();
    expect(livenessVerdict(agent({ status: 'terminated' }), 15_000, settings)).toBe('delete');
  });
  it('honours a slower interval an agent announces', () => {
    expect(livenessVerdict(agent({ metadata: { heartbeatIntervalMs: 2_000 } }), 3_000, settings)).toBeUndefined();
  });
  it('finds a dead agent within 15 s with the defaults', () => {
    const config = loadCoordinatorConfig({ env: { SY_NATS_URL: 'ws://127.0.0.1:1', SY_TOKENS_FILE: 'tokens.json' } });
    const { heartbeatIntervalMs, failureThreshold, sweepIntervalMs } = config.liveness;
    expect(heartbeatIntervalMs * failureThreshold + sweepIntervalMs).toBeLessThanOrEqual(15_000);
  });
});

describe('identities and config', () => {
  const tempDir = tempDirsPerTest('sy-unit-');
  it('resolves Sy-Token values (of plain or sy-token-keyed entries) and refuses unknown ones', () => {
    const ids = new Identities({
      'plain-token-1': alice,
      [`sy-token:${deriveSyToken('hashed-token-1')}`]: admin,
    });
    expect(ids.resolve(deriveSyToken('plain-token-1')).user).toBe('alice');
    expect(ids.resolve(deriveSyToken('hashed-token-1')).user).toBe('ada');
    // The header carries the derived value: the token itself is not a credential here.
    expect(() => ids.resolve('plain-token-1')).toThrow(/unknown token/);
    expect(() => ids.resolve(deriveSyToken('nope'))).toThrow(/unknown token/);
    expect(() => ids.resolve(undefined)).toThrow(/missing/);
  });

  it('refuses the retired sha256: key form and a malformed sy-token: key, naming the fix', () => {
    const dir = tempDir();
    const old = `sha256:${createHash('sha256').update('hashed-token-1').digest('hex')}`;
    writeFileSync(join(dir, 'old.json'), JSON.stringify({ [old]: admin }));
    expect(() => Identities.fromFile(join(dir, 'old.json'))).toThrow(/--hash-token/);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ 'sy-token:ABC': admin }));
    expect(() => Identities.fromFile(join(dir, 'bad.json'))).toThrow(/64 lower-case hex/);
  });

  it('parses the tokens file with zod and names the bad path', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 't.json'), JSON.stringify({ 'a-long-token': { user: 'x', role: 'boss', repos: ['demo'] } }));
    expect(() => Identities.fromFile(join(dir, 't.json'))).toThrow(/role/);
  });

  it('names a bad entry by its position, never by its key: a key is a token', () => {
    const dir = tempDir();
    const secret = 'alice:very-secret-password';
    writeFileSync(join(dir, 't.json'), JSON.stringify({ 'good-token-1': admin, [secret]: { user: 'alice', role: 'boss', repos: ['demo'] }, short: admin }));
    let message = '';
    try {
      Identities.fromFile(join(dir, 't.json'));
    } catch (error) {
      message = (error as Error).message;
      expect((error as Error).cause).toBeUndefined();
    }
    expect(message).toMatch(/entry 2\.role/);
    expect(message).toMatch(/entry 3: tokens must be at least 8 characters/);
    expect(message).not.toContain('very-secret-password');
    expect(message).not.toContain('short');
  });

  it('layers environment over the file and refuses unknown keys', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ nats: { servers: ['wss://file:1'] }, tokensFile: 'tokens.json' }));
    const config = loadCoordinatorConfig({ file: join(dir, 'c.json'), env: { SY_NATS_URL: 'wss://a:1, ws://127.0.0.1:2', SY_REPOS: 'demo' } });
    expect(config.nats.servers).toEqual(['wss://a:1', 'ws://127.0.0.1:2']);
    expect(config.tokensFile).toBe(join(dir, 'tokens.json'));
    expect(config.repos).toEqual(['demo']);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ nats: { servers: ['nats://x:1'] }, tokensFile: 't', extra: 1 }));
    expect(() => loadCoordinatorConfig({ file: join(dir, 'bad.json'), env: {} })).toThrow(/coordinator config/);
  });

  it('resolves team.workspaces against the config file and refuses a bad repo name', () => {
    const dir = tempDir();
    const team = { workspaces: { demo: 'checkouts/demo', other: '/srv/other' } };
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ nats: { servers: ['wss://file:1'] }, tokensFile: 't.json', team }));
    expect(loadCoordinatorConfig({ file: join(dir, 'c.json'), env: {} }).team.workspaces).toEqual({ demo: join(dir, 'checkouts', 'demo'), other: '/srv/other' });
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ nats: { servers: ['wss://file:1'] }, tokensFile: 't.json', team: { workspaces: { 'no/slash': '/x' } } }));
    expect(() => loadCoordinatorConfig({ file: join(dir, 'bad.json'), env: {} })).toThrow(/team\.workspaces/);
  });

  it('refuses ws:// to another machine unless allowed, and credentials in a server URL', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ nats: { servers: ['ws://nats.internal:8080'] }, tokensFile: 't.json' }));
    expect(() => loadCoordinatorConfig({ file: join(dir, 'c.json'), env: {} })).toThrow(/nats\.servers\.0: ws:\/\/ is unencrypted/);
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ nats: { servers: ['ws://nats.internal:8080'], allowInsecureTransport: true }, tokensFile: 't.json' }));
    expect(loadCoordinatorConfig({ file: join(dir, 'ok.json'), env: {} }).nats.servers).toEqual(['ws://nats.internal:8080']);
    expect(() => loadCoordinatorConfig({ env: { SY_NATS_URL: 'wss://coord:pw@nats.internal', SY_TOKENS_FILE: 't.json' } })).toThrow(/user or password/);
  });

  it('never writes a secret field to the log', () => {
    expect(redact({ token: 'abc', apiToken: 'x', pass: 'p', repo: 'demo' })).toEqual({
      token: '[redacted]', apiToken: '[redacted]', pass: '[redacted]', repo: 'demo',
    });
  });

  it('numbers workers after the highest held', () => {
    expect(nextWorkerNumber(['worker-3', 'review', 'worker-12', 'worker-x'])).toBe(13);
    expect(nextWorkerNumber([])).toBe(1);
  });
});
