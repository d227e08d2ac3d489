/**
 * `connection.test` against a real nats-server: the Settings button's answer for a
 * right token, a wrong one, the stored one, and a server that is not there.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import { createCore } from '../../../src/core/core.js';
import { probeConnection } from '../../../src/core/connection-probe.js';
import { defaultHybridConfig } from '../../../src/shared/config.js';
import { freePort } from '../../helpers/free-port.js';
import type { NatsServerHandle } from '../../helpers/nats-server.js';
import { startNatsServer } from '../../helpers/nats-server.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

let nats: NatsServerHandle;
const cleanups: Array<() => unknown> = [];

beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.dispose();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

async function openCore(): Promise<Core> {
  const temp = makeTempDir();
  cleanups.push(() => temp.remove());
  const core = await createCore({ dataDir: temp.path, env: {}, agents: { gateway: false } });
  cleanups.push(() => core.close());
  return core;
}

describe('connection.test', () => {
  it('connects with the right token and reports a latency', async () => {
    const core = await openCore();
    const result = await core.call('connection.test', { coordinationUrl: nats.wsUrl, apiToken: nats.token });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ ok: true });
    const value = result.value as { latencyMs?: number; error?: string };
    expect(value.latencyMs).toBeGreaterThanOrEqual(0);
    expect(value.error).toBeUndefined();
  });

  it("returns the server's auth error for a wrong token, without echoing any token", async () => {
    const core = await openCore();
    const logged: string[] = [];
    for (const method of ['log', 'warn', 'error', 'info'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    }
    const wrong = 'not-the-token-4711';
    const result = await core.call('connection.test', { coordinationUrl: nats.wsUrl, apiToken: wrong });
    expect(result).toMatchObject({ ok: true, value: { ok: false } });
    const text = JSON.stringify(result);
    expect(text).toMatch(/authorization violation/i);
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(nats.token);
    expect(logged.join('\n')).not.toContain(wrong);
  });

  it('uses the stored token when none is given', async () => {
    const core = await openCore();
    const saved = await core.call('config.set', { config: defaultHybridConfig(), apiToken: nats.token });
    expect(saved.ok).toBe(true);
    const result = await core.call('connection.test', { coordinationUrl: nats.wsUrl });
    expect(result).toMatchObject({ ok: true, value: { ok: true } });
    expect(JSON.stringify(result)).not.toContain(nats.token);

    // And without any token the server refuses.
    await core.call('config.set', { config: defaultHybridConfig(), apiToken: null });
    const none = await core.call('connection.test', { coordinationUrl: nats.wsUrl });
    expect(none).toMatchObject({ ok: true, value: { ok: false } });
    expect(JSON.stringify(none)).toMatch(/authorization violation/i);
  });

  it('says so when nothing listens at the URL', async () => {
    const port = await freePort();
    const result = await probeConnection({ coordinationUrl: `ws://127.0.0.1:${port}`, token: 'x', timeoutMs: 2_000 });
    expect(result.ok).toBe(false);
    expect(result.error).toBeTruthy();
  });

  it('refuses a URL that is not ws:// or wss:// with a ValidationError', async () => {
    const core = await openCore();
    const result = await core.call('connection.test', { coordinationUrl: 'http://example.com' });
    expect(result).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
  });
});
