/**
 * The desktop app's bridge (src/main/desktop-bridge.ts, what src/main/index.ts starts):
 * a real core as the Electron host composes it, and the built CLI as a child process
 * reaching it through the same bridge.json as the headless host's. The descriptor is
 * owner-only, names the desktop, goes away on quit, and a quitting host never deletes
 * the descriptor of another host that took the data folder over.
 */
import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { publishBridgeDescriptor } from '../../../src/core/bridge/bridge-descriptor-file.js';
import type { Core } from '../../../src/core/core.js';
import { createCore } from '../../../src/core/core.js';
import type { DesktopBridge } from '../../../src/main/desktop-bridge.js';
import { startDesktopBridge } from '../../../src/main/desktop-bridge.js';
import { BridgeDescriptor } from '../../../src/shared/bridge-descriptor.js';
import { SystemInfo } from '../../../src/shared/contract.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { cli } from './cli-process.js';

/** How a handshake with `headers` ends: the HTTP status of a refusal, or 101. */
function handshakeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', () => undefined);
  });
}

function httpStatus(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/' }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('the desktop app\'s bridge', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function desktop(): Promise<{ core: Core; bridge: DesktopBridge; dataDir: string; env: NodeJS.ProcessEnv }> {
    const dir = makeTempDir('sy-desktop-');
    cleanup.push(() => dir.remove());
    const core = await createCore({ dataDir: dir.path, env: {}, host: 'electron', agents: { gateway: false } });
    cleanup.push(() => core.close());
    const bridge = await startDesktopBridge({ core, dataDir: dir.path });
    cleanup.push(() => bridge.close());
    return { core, bridge, dataDir: dir.path, env: { ...process.env, SWITCHYARD_DATA_DIR: dir.path, SWITCHYARD_URL: '' } };
  }

  it('is what `switchyard status` reaches through bridge.json, and it names the desktop', { timeout: 60_000 }, async () => {
    const { bridge, dataDir, env } = await desktop();
    const file = join(dataDir, 'bridge.json');
    expect(bridge.descriptorFile).toBe(file);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const descriptor = BridgeDescriptor.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(descriptor).toMatchObject({ host: 'electron', pid: process.pid, url: bridge.url });

    const run = await cli(['status', '--json'], env);
    expect(run.code).toBe(0);
    expect(SystemInfo.parse((JSON.parse(run.stdout) as { system: unknown }).system).host).toBe('electron');
    // The same verbs work: the person's endpoint is an agent of the desktop's registry.
    const agents = await cli(['agents'], env);
    expect(agents.stdout).toContain('default/user (person)');
  });

  it('serves no page, lets no browser origin in, and refuses a wrong token', async () => {
    const { bridge } = await desktop();
    const url = new URL(bridge.url);
    const token = url.searchParams.get('token') ?? '';
    const socketUrl = `ws://${url.host}/bridge?token=${token}`;
    expect(await httpStatus(Number(url.port))).toBe(404);
    expect(await handshakeStatus(socketUrl, {})).toBe(101);
    expect(await handshakeStatus(socketUrl, { Origin: `http://${url.host}` })).toBe(403);
    expect(await handshakeStatus(`ws://${url.host}/bridge?token=${token}x`, {})).toBe(401);
  });

  it('takes its descriptor away on quit, so the CLI says nothing runs (exit 3)', { timeout: 60_000 }, async () => {
    const { bridge, env } = await desktop();
    await bridge.close();
    const run = await cli(['status'], env);
    expect(run).toMatchObject({ code: 3, stderr: expect.stringContaining('no running Switchyard found') });
  });

  it('leaves the descriptor of a host that started later on the same data folder', async () => {
    const { bridge, dataDir } = await desktop();
    const later = publishBridgeDescriptor(dataDir, { url: 'http://127.0.0.1:1/?token=later', token: 'later', pid: process.pid, host: 'headless' });
    await bridge.close();
    expect(BridgeDescriptor.parse(JSON.parse(readFileSync(later.file, 'utf8'))).token).toBe('later');
    later.remove();
  });
});
