import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessEndpoints } from '../../../src/core/agents/in-process-endpoints.js';
import { openDatabase } from '../../../src/core/db/database.js';
import { createSqliteRegistry } from '../../../src/core/registry/sqlite-registry.js';
import type { SqliteRegistry } from '../../../src/core/registry/sqlite-registry.js';
import type { RoutedMessage } from '../../../src/shared/domain.js';
import { consistently, eventually } from '../../helpers/eventually.js';
import { tempDirsPerTest } from '../../helpers/temp-dir.js';

const tempDir = tempDirsPerTest('sy-endpoint-');
const cleanups: Array<() => void> = [];
// Last in, first out: endpoints stop before their registry closes.
afterEach(() => cleanups.splice(0).reverse().forEach((fn) => fn()));

/** A registry on a real file that sweeps every 20 ms, judging silence after 3 × 50 ms. */
function registryOn(dir: string): SqliteRegistry {
  const db = openDatabase(join(dir, 'switchyard.db'));
  const registry = createSqliteRegistry(db, { clock: { now: () => Date.now() }, sweepEveryMs: 20, liveness: { heartbeatIntervalMs: 50, failureThreshold: 3 } });
  cleanups.push(() => {
    registry.close();
    db.close();
  });
  return registry;
}

const message = (to: string, repo: string): RoutedMessage => ({
  id: 'msg-00000001',
  from: 'echo',
  to,
  repo,
  body: 'hi',
  kind: 'text',
  timestamp: 1,
  traceId: 't',
  route: { sourceLocation: 'local', destLocation: 'local', routedVia: 'local', routedAt: 1 },
});

describe('an in-process endpoint', () => {
  it('stays active through the liveness sweep, because it heartbeats itself', async () => {
    const registry = registryOn(tempDir());
    const endpoints = new InProcessEndpoints(registry, 'me', 50);
    cleanups.push(() => endpoints.stopAll());
    endpoints.attach({ name: 'user', type: 'person', repo: 'app', onMessage: () => {} });
    // A silent local agent beside it goes unreachable within the same window.
    registry.register({ name: 'silent', type: 'echo', location: 'local', repo: 'app', owner: 'me', instanceId: 'silent-1', metadata: { heartbeatIntervalMs: 50 } });
    await eventually(() => registry.get({ repo: 'app', name: 'silent' })?.status === 'unreachable', 5_000, 'the silent agent swept');
    await consistently(() => registry.get({ repo: 'app', name: 'user' })?.status === 'active', 500, 'the endpoint active');
  });

  it('registers anew when its record was swept or removed, and turns terminated when stopped', async () => {
    const registry = registryOn(tempDir());
    const endpoints = new InProcessEndpoints(registry, 'me', 50);
    cleanups.push(() => endpoints.stopAll());
    const attached = endpoints.attach({ name: 'user', type: 'person', repo: 'app', onMessage: () => {} });
    const first = attached.info()!;
    expect(first).toMatchObject({ type: 'person', ownership: 'user', location: 'local', owner: 'me', status: 'active' });
    registry.deregister({ repo: 'app', name: 'user' });
    await eventually(() => registry.get({ repo: 'app', name: 'user' })?.status === 'active', 5_000, 'registered again');
    endpoints.stopAll();
    expect(registry.get({ repo: 'app', name: 'user' })?.status).toBe('terminated');
    // A new run replaces the old record (another instanceId) instead of failing on the name.
    const again = new InProcessEndpoints(registry, 'me', 50);
    cleanups.push(() => again.stopAll());
    expect(again.attach({ name: 'user', type: 'person', repo: 'app', onMessage: () => {} }).info()?.status).toBe('active');
  });

  it('takes messages for its name in its repo only, and holds its name', () => {
    const registry = registryOn(tempDir());
    const endpoints = new InProcessEndpoints(registry, 'me', 50);
    cleanups.push(() => endpoints.stopAll());
    const got: RoutedMessage[] = [];
    const attached = endpoints.attach({ name: 'user', type: 'person', repo: 'app', onMessage: (m) => got.push(m) });
    expect(endpoints.deliver(message('user', 'app'))).toBe(true);
    expect(endpoints.deliver(message('user', 'other'))).toBe(false);
    expect(endpoints.deliver(message('echo', 'app'))).toBe(false);
    expect(got).toHaveLength(1);
    expect(endpoints.holds('user')).toBe(true);
    expect(() => endpoints.attach({ name: 'user', type: 'person', repo: 'app', onMessage: () => {} })).toThrow(/attached already/);
    attached.detach();
    expect(endpoints.holds('user')).toBe(false);
    expect(registry.get({ repo: 'app', name: 'user' })).toBeUndefined();
    expect(endpoints.deliver(message('user', 'app'))).toBe(false);
  });
});
