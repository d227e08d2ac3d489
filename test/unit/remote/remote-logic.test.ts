import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/core/remote/backoff.js';
import { translateEntry } from '../../../src/core/remote/mirror-translate.js';
import { displayServer, natsAuthOf } from '../../../src/core/remote/nats-ws.js';
import { RegisterRequest } from '../../../src/shared/coordinator-protocol.js';
import { agentOfHeartbeatSubject, parseRegistryKey } from '../../../src/shared/nats-subjects.js';

const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const record = {
  name: 'alice.workspace', type: 'workspace', location: 'local', ownership: 'user', repo: 'demo', owner: 'alice',
  endpoint: '', instanceId: 'i', registeredAt: 1, lastHeartbeat: 1, status: 'active', capabilities: [],
  tags: { desktop: 'alice-desk' }, load: { current: 0, max: 1 }, metadata: {}, revision: 0,
};

describe('mirror translation', () => {
  const entry = (value: unknown, operation: 'PUT' | 'DEL' = 'PUT', key = 'demo.alice.workspace') => ({ key, revision: 7, operation, value: encode(value) });
  it('shows another desktop’s local agent as remote, with the KV revision', () => {
    const change = translateEntry(entry(record), 'demo', 'bob-desk');
    expect(change).toMatchObject({ kind: 'upsert', info: { location: 'remote', revision: 7, tags: { desktop: 'alice-desk' } } });
  });
  it('skips this desktop’s own echo, other repos and malformed values', () => {
    expect(translateEntry(entry(record), 'demo', 'alice-desk')).toMatchObject({ kind: 'skip', reason: 'own' });
    expect(translateEntry(entry(record, 'PUT', 'other.x'), 'demo', 'd')).toMatchObject({ kind: 'skip', reason: 'foreign-repo' });
    expect(translateEntry(entry('{oops'), 'demo', 'd')).toMatchObject({ kind: 'skip', reason: 'malformed' });
    expect(translateEntry(entry({ ...record, name: 'someone-else' }), 'demo', 'd')).toMatchObject({ kind: 'skip', reason: 'malformed' });
    expect(translateEntry(entry({ ...record, status: 'weird' }), 'demo', 'd')).toMatchObject({ kind: 'skip', reason: 'malformed' });
  });
  it('turns deletes into removals', () => {
    expect(translateEntry(entry('', 'DEL'), 'demo', 'd')).toMatchObject({ kind: 'remove', repo: 'demo', name: 'alice.workspace' });
  });
});

describe('link helpers', () => {
  it('backs off exponentially with jitter, capped', () => {
    const policy = { initialMs: 100, maxMs: 1_000, jitter: 0.5 };
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, () => 1)).toBe(800);
    expect(backoffDelay(30, policy, () => 1)).toBe(1_000);
  });
  it('reads user:secret as a NATS user and anything else as a token', () => {
    expect(natsAuthOf('alice:s3cret')).toEqual({ user: 'alice', pass: 's3cret' });
    expect(natsAuthOf('plain')).toEqual({ token: 'plain' });
    expect(natsAuthOf(undefined)).toEqual({});
    expect(displayServer('wss://u:p@nats.example.com:443/')).toBe('wss://nats.example.com');
  });
  it('parses subjects and keys with dotted agent names', () => {
    expect(agentOfHeartbeatSubject('sy.demo.hb.alice.workspace')).toEqual({ repo: 'demo', agent: 'alice.workspace' });
    expect(agentOfHeartbeatSubject('sy.demo.inbox.x')).toBeUndefined();
    expect(parseRegistryKey('demo.alice.workspace')).toEqual({ repo: 'demo', name: 'alice.workspace' });
    expect(parseRegistryKey('nodot')).toBeUndefined();
  });
  it('refuses an owner in a registration body', () => {
    const base = { name: 'a', type: 'workspace', location: 'local', instanceId: 'i' };
    expect(RegisterRequest.safeParse(base).success).toBe(true);
    expect(RegisterRequest.safeParse({ ...base, owner: 'mallory' }).success).toBe(false);
  });
});
