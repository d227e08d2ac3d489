/**
 * `connection.test` against a real nats-server: the Settings button's answer for a
 * right token, a wrong one, the stored one (for the saved URL only), and a server that
 * is not there.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
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

/**
 * A stand-in for a hostile server on loopback: it speaks just enough NATS (INFO, then
 * an authorization error after CONNECT) and records every byte a client sends it.
 */
async function fakeNatsServer(): Promise<{ url: string; connections(): number; received(): string; close(): Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  let connections = 0;
  let received = '';
  server.on('connection', (socket) => {
    connections += 1;
    // nats.ws reads binary frames only.
    socket.send(Buffer.from('INFO {"server_id":"FAKE","version":"2.9.10","proto":1,"headers":true,"max_payload":1048576,"auth_required":true}\r\n'));
    socket.on('message', (data: Buffer) => {
      received += data.toString();
      if (received.includes('CONNECT')) socket.send(Buffer.from("-ERR 'Authorization Violation'\r\n"));
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    connections: () => connections,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

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

  it('uses the stored token when none is given, for the saved URL', async () => {
    const core = await openCore();
    const saved = await core.call('config.set', { config: { ...defaultHybridConfig(), coordinationUrl: nats.wsUrl }, apiToken: nats.token });
    expect(saved.ok).toBe(true);
    const result = await core.call('connection.test', { coordinationUrl: nats.wsUrl });
    expect(result).toMatchObject({ ok: true, value: { ok: true } });
    expect(JSON.stringify(result)).not.toContain(nats.token);

    // And without any token the server refuses.
    await core.call('config.set', { config: { ...defaultHybridConfig(), coordinationUrl: nats.wsUrl }, apiToken: null });
    const none = await core.call('connection.test', { coordinationUrl: nats.wsUrl });
    expect(none).toMatchObject({ ok: true, value: { ok: false } });
    expect(JSON.stringify(none)).toMatch(/authorization violation/i);
  });

  it('never sends the stored token to another URL: a fake server on loopback captures nothing', async () => {
    const core = await openCore();
    await core.call('config.set', { config: { ...defaultHybridConfig(), coordinationUrl: nats.wsUrl }, apiToken: nats.token });
    const fake = await fakeNatsServer();
    cleanups.push(() => fake.close());

    const refused = await core.call('connection.test', { coordinationUrl: fake.url });
    expect(refused).toMatchObject({ ok: false, error: { name: 'TokenNotForUrl', issues: [{ path: 'apiToken' }] } });
    expect(fake.connections()).toBe(0);

    // With a token of its own the test goes ahead, and carries that token, not the stored one.
    const own = await core.call('connection.test', { coordinationUrl: fake.url, apiToken: 'fake:typed-for-this-server' });
    expect(own).toMatchObject({ ok: true, value: { ok: false } });
    expect(fake.received()).toContain('typed-for-this-server');
    expect(fake.received()).not.toContain(nats.token);
  });

  it('refuses ws:// to another machine unless the test allows it', async () => {
    const core = await openCore();
    const result = await core.call('connection.test', { coordinationUrl: 'ws://nats.team.example:8080', apiToken: 'x-token' });
    expect(result).toMatchObject({ ok: false, error: { name: 'ValidationError', issues: [{ path: 'coordinationUrl' }] } });
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
