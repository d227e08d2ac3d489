import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Bridge } from '../../../src/core/bridge/bridge-server.js';
import { attachBridge } from '../../../src/core/bridge/bridge-server.js';
import type { Core } from '../../../src/core/core.js';
import { createCore } from '../../../src/core/core.js';
import { connectBridge } from '../../../src/shared/bridge-client.js';
import { defaultHybridConfig } from '../../../src/shared/config.js';
import type { ConnectionState } from '../../../src/shared/connection.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const TOKEN = 'bridge-test-token-0123456789';
let core: Core;
let bridge: Bridge;
let port: number;
let cleanup: Array<() => unknown> = [];

beforeEach(async () => {
  const dir = makeTempDir();
  core = await createCore({ dataDir: dir.path, env: {} });
  const server = createServer((_req, res) => res.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  bridge = attachBridge(server, {
    core,
    token: TOKEN,
    isAllowedOrigin: (origin) => origin === `http://127.0.0.1:${port}`,
  });
  cleanup = [() => bridge.close(), () => new Promise((r) => server.close(r)), () => core.close(), () => dir.remove()];
});

afterEach(async () => {
  for (const step of cleanup) await step();
});

/** Opens a raw socket and reports how the handshake ended. */
function handshake(url: string, headers: Record<string, string> = {}): Promise<{ opened: boolean; status?: number; socket: WebSocket }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve({ opened: true, socket }));
    socket.once('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode, socket }));
    socket.once('error', () => resolve({ opened: false, socket }));
  });
}

function nextFrame(socket: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
}

describe('WebSocket bridge', () => {
  it('refuses a bad token', async () => {
    const result = await handshake(`ws://127.0.0.1:${port}/bridge?token=wrong`);
    expect(result).toMatchObject({ opened: false, status: 401 });
    expect(bridge.clients()).toBe(0);
  });

  it('refuses a missing token', async () => {
    const result = await handshake(`ws://127.0.0.1:${port}/bridge`);
    expect(result).toMatchObject({ opened: false, status: 401 });
  });

  it('refuses a foreign Origin even with the right token', async () => {
    const result = await handshake(`ws://127.0.0.1:${port}/bridge?token=${TOKEN}`, { Origin: 'https://evil.example' });
    expect(result).toMatchObject({ opened: false, status: 403 });
  });

  it('accepts our own Origin and serves the contract', async () => {
    const { socket, opened } = await handshake(`ws://127.0.0.1:${port}/bridge?token=${TOKEN}`, {
      Origin: `http://127.0.0.1:${port}`,
    });
    expect(opened).toBe(true);
    const { api, close } = await connectBridge(socket as unknown as Parameters<typeof connectBridge>[0]);
    const info = await api.system.info();
    expect(info.name).toBe('switchyard');
    close();
  });

  it('answers a malformed frame with a typed error and stays usable', async () => {
    const { socket } = await handshake(`ws://127.0.0.1:${port}/bridge?token=${TOKEN}`);
    socket.send('{not json');
    expect(await nextFrame(socket)).toMatchObject({ type: 'result', id: null, result: { ok: false, error: { name: 'BadFrame' } } });

    socket.send(JSON.stringify({ type: 'call', id: 'seven', call: 'config.get' }));
    expect(await nextFrame(socket)).toMatchObject({ id: null, result: { ok: false, error: { name: 'BadFrame' } } });

    socket.send(JSON.stringify({ type: 'call', id: 7, call: 'config.get' }));
    expect(await nextFrame(socket)).toMatchObject({ id: 7, result: { ok: true, value: { enabled: false } } });

    socket.send(JSON.stringify({ type: 'call', id: 8, call: 'config.set', input: { config: { enabled: 'yes' } } }));
    expect(await nextFrame(socket)).toMatchObject({ id: 8, result: { ok: false, error: { name: 'ValidationError' } } });

    socket.send(JSON.stringify({ type: 'call', id: 9, call: 'agents.list' }));
    // A fresh core's only agent is the person at the desktop (docs/coding-agents.md).
    expect(await nextFrame(socket)).toMatchObject({ id: 9, result: { ok: true, value: [{ name: 'user', type: 'person' }] } });
    socket.close();
  });

  it('pushes contract events to connected clients', async () => {
    const { socket } = await handshake(`ws://127.0.0.1:${port}/bridge?token=${TOKEN}`);
    const { api, close } = await connectBridge(socket as unknown as Parameters<typeof connectBridge>[0]);
    const states: ConnectionState[] = [];
    const seen = new Promise<void>((resolve) =>
      api.onConnectionChanged((state) => {
        states.push(state);
        resolve();
      }),
    );
    await api.config.set({
      config: { ...defaultHybridConfig(), enabled: true, coordinationUrl: 'ws://127.0.0.1:9' },
    });
    await seen;
    expect(states[0]?.phase).not.toBe('disabled');
    expect(states[0]?.server).toBe('ws://127.0.0.1:9');
    close();
  });
});
