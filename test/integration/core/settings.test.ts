import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import { createCore } from '../../../src/core/core.js';
import type { HybridConfig } from '../../../src/shared/config.js';
import { defaultHybridConfig } from '../../../src/shared/config.js';
import type { ConnectionState } from '../../../src/shared/connection.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openCore(dataDir?: string): Promise<{ core: Core; dataDir: string }> {
  let dir = dataDir;
  if (!dir) {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    dir = temp.path;
  }
  const core = await createCore({ dataDir: dir, env: {} });
  cleanups.push(() => core.close());
  return { core, dataDir: dir };
}

const hybrid: HybridConfig = {
  ...defaultHybridConfig(),
  enabled: true,
  coordinationUrl: 'wss://nats.example.com',
  repo: 'switchyard',
  remoteAgentTypes: ['supervisor'],
};

/** What config.get / config.set return for a config and a token state. */
const view = (config: HybridConfig, token: { set?: boolean; env?: boolean } = {}) => ({
  ...config,
  allowInsecureTransport: config.allowInsecureTransport ?? false,
  apiTokenSet: token.set ?? false,
  apiTokenFromEnvironment: token.env ?? false,
});

describe('settings', () => {
  it('starts with hybrid disabled and no token', async () => {
    const { core } = await openCore();
    const result = await core.call('config.get', undefined);
    expect(result).toEqual({ ok: true, value: view(defaultHybridConfig()) });
  });

  it('keeps the config and the token across a restart, and never returns the token', async () => {
    const { core, dataDir } = await openCore();
    const saved = await core.call('config.set', { config: hybrid, apiToken: 's3cret-token' });
    expect(saved).toEqual({ ok: true, value: view(hybrid, { set: true }) });
    expect(JSON.stringify(saved)).not.toContain('s3cret-token');
    await core.close();

    const again = await openCore(dataDir);
    expect(await again.core.call('config.get', undefined)).toEqual({ ok: true, value: view(hybrid, { set: true }) });
    expect(statSync(join(dataDir, 'api-token')).mode & 0o777).toBe(0o600);
  });

  it('rejects a bad config with the field named and saves nothing', async () => {
    const { core } = await openCore();
    const result = await core.call('config.set', {
      config: { ...hybrid, coordinationUrl: 'http://not-websocket' },
      apiToken: 'would-be-token',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.name).toBe('ValidationError');
    expect(result.error.issues?.map((issue) => issue.path)).toEqual(['config.coordinationUrl']);
    expect(await core.call('config.get', undefined)).toEqual({ ok: true, value: view(defaultHybridConfig()) });
  });

  it('clears the token with null and keeps it when absent', async () => {
    const { core } = await openCore();
    await core.call('config.set', { config: hybrid, apiToken: 'abc' });
    const kept = await core.call('config.set', { config: { ...hybrid, fallbackToLocal: true } });
    expect(kept.ok && (kept.value as { apiTokenSet: boolean }).apiTokenSet).toBe(true);
    const cleared = await core.call('config.set', { config: hybrid, apiToken: null });
    expect(cleared.ok && (cleared.value as { apiTokenSet: boolean }).apiTokenSet).toBe(false);
  });

  it('emits connection.changed when hybrid is switched on and off', async () => {
    const { core } = await openCore();
    const states: ConnectionState[] = [];
    core.on('connection.changed', (state) => states.push(state));
    await core.call('config.set', { config: hybrid });
    await core.call('config.set', { config: defaultHybridConfig() });
    expect(states.map((state) => state.phase)).toContain('disabled');
    expect(states.length).toBeGreaterThanOrEqual(2);
    expect(states.at(-1)?.phase).toBe('disabled');
  });

  it('answers an unknown call with a typed error', async () => {
    const { core } = await openCore();
    expect(await core.call('config.delete', undefined)).toEqual({
      ok: false,
      error: { name: 'UnknownCall', message: 'unknown call "config.delete"' },
    });
  });
});
