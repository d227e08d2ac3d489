/**
 * Where the stored API token may go, and what Settings is told about it: a config that
 * moves to another URL must bring its own token, `ws://` leaves this machine only when
 * allowed, a URL carries no credentials, and `SWITCHYARD_API_TOKEN` says it overrides.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import { createCore } from '../../../src/core/core.js';
import { openDatabase } from '../../../src/core/db/database.js';
import type { HybridConfig } from '../../../src/shared/config.js';
import { defaultHybridConfig } from '../../../src/shared/config.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openCore(env: NodeJS.ProcessEnv = {}, dataDir?: string): Promise<{ core: Core; dataDir: string }> {
  let dir = dataDir;
  if (!dir) {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    dir = temp.path;
  }
  const core = await createCore({ dataDir: dir, env, agents: { gateway: false } });
  cleanups.push(() => core.close());
  return { core, dataDir: dir };
}

const saved: HybridConfig = { ...defaultHybridConfig(), enabled: true, coordinationUrl: 'wss://nats.team.example:443', repo: 'demo' };
const elsewhere: HybridConfig = { ...saved, coordinationUrl: 'wss://capture.example.net' };

async function configGet(core: Core) {
  const result = await core.call('config.get', undefined);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as { coordinationUrl: string; apiTokenSet: boolean; apiTokenFromEnvironment: boolean; enabled: boolean };
}

describe('the stored token stays with the saved URL', () => {
  it('refuses to move the config to another URL without a token, and saves nothing', async () => {
    const { core } = await openCore();
    expect((await core.call('config.set', { config: saved, apiToken: 'team-token-1' })).ok).toBe(true);

    const moved = await core.call('config.set', { config: elsewhere });
    expect(moved).toMatchObject({ ok: false, error: { name: 'TokenNotForUrl', issues: [{ path: 'apiToken' }] } });
    expect(JSON.stringify(moved)).toContain('wss://capture.example.net');
    expect(JSON.stringify(moved)).not.toContain('team-token-1');
    expect(await configGet(core)).toMatchObject({ coordinationUrl: saved.coordinationUrl, apiTokenSet: true });

    // The same server written differently (default port, trailing slash) is the same URL.
    expect((await core.call('config.set', { config: { ...saved, coordinationUrl: 'wss://NATS.team.example/', fallbackToLocal: true } })).ok).toBe(true);
  });

  it('moves with a token of its own, or with the stored one cleared', async () => {
    const { core } = await openCore();
    await core.call('config.set', { config: saved, apiToken: 'team-token-1' });
    expect(await core.call('config.set', { config: elsewhere, apiToken: 'other-token-2' })).toMatchObject({
      ok: true,
      value: { coordinationUrl: elsewhere.coordinationUrl, apiTokenSet: true },
    });
    expect(await core.call('config.set', { config: saved, apiToken: null })).toMatchObject({
      ok: true,
      value: { coordinationUrl: saved.coordinationUrl, apiTokenSet: false },
    });
    // No token stored: nothing to protect, any URL may be saved.
    expect((await core.call('config.set', { config: elsewhere })).ok).toBe(true);
  });
});

describe('transport and credentials in the URL', () => {
  it('refuses ws:// to another machine unless allowed; loopback is fine', async () => {
    const { core } = await openCore();
    const plain = { ...saved, coordinationUrl: 'ws://nats.team.example:8080' };
    const refused = await core.call('config.set', { config: plain, apiToken: 'team-token-1' });
    expect(refused).toMatchObject({ ok: false, error: { name: 'ValidationError', issues: [{ path: 'config.coordinationUrl' }] } });
    expect(JSON.stringify(refused)).toMatch(/unencrypted/);
    expect(await configGet(core)).toMatchObject({ enabled: false, apiTokenSet: false });

    expect(await core.call('config.set', { config: { ...plain, allowInsecureTransport: true }, apiToken: 'team-token-1' })).toMatchObject({
      ok: true,
      value: { coordinationUrl: plain.coordinationUrl, allowInsecureTransport: true },
    });
    for (const url of ['ws://127.0.0.1:4222', 'ws://localhost:8080', 'ws://[::1]:8080']) {
      expect(await core.call('config.set', { config: { ...saved, coordinationUrl: url }, apiToken: 'team-token-1' })).toMatchObject({ ok: true });
    }
  });

  it('refuses a URL with a user or password in it, as config and as a connection test', async () => {
    const { core } = await openCore();
    const withCreds = await core.call('config.set', { config: { ...saved, coordinationUrl: 'wss://alice:pw-123@nats.team.example' } });
    expect(withCreds).toMatchObject({ ok: false, error: { name: 'ValidationError', issues: [{ path: 'config.coordinationUrl' }] } });
    const probe = await core.call('connection.test', { coordinationUrl: 'ws://alice:pw-123@127.0.0.1:1' });
    expect(probe).toMatchObject({ ok: false, error: { name: 'ValidationError', issues: [{ path: 'coordinationUrl' }] } });
  });

  it('brings back an enabled ws:// config saved before the rule switched off, so nothing goes out in clear', async () => {
    const { core, dataDir } = await openCore();
    await core.close();
    const db = openDatabase(join(dataDir, 'switchyard.db'));
    const legacy = { ...saved, coordinationUrl: 'ws://nats.team.example:8080' };
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('hybrid-config', JSON.stringify(legacy), 1);
    db.close();
    const again = await openCore({}, dataDir);
    expect(await configGet(again.core)).toMatchObject({ enabled: false, coordinationUrl: legacy.coordinationUrl, repo: 'demo' });
  });
});

describe('SWITCHYARD_API_TOKEN', () => {
  it('says when the environment overrides the token being saved', async () => {
    const { core } = await openCore({ SWITCHYARD_API_TOKEN: 'from-the-environment' });
    expect(await configGet(core)).toMatchObject({ apiTokenSet: true, apiTokenFromEnvironment: true });
    const result = await core.call('config.set', { config: saved, apiToken: 'typed-in-settings' });
    expect(result).toMatchObject({ ok: true, value: { apiTokenSet: true, apiTokenFromEnvironment: true } });
    expect(JSON.stringify(result)).not.toContain('from-the-environment');

    const { core: plain } = await openCore();
    const stored = await plain.call('config.set', { config: saved, apiToken: 'typed-in-settings' });
    expect(stored).toMatchObject({ ok: true, value: { apiTokenSet: true, apiTokenFromEnvironment: false } });
  });
});
