/**
 * Regression tests against the built headless host process (out/main/headless.js): each
 * input named in issue 12 used to end the process. Each is sent once; the host must
 * answer it (a 4xx, a typed error, or a WebSocket close code) and still be running and
 * serving afterwards.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessHandle } from '../../e2e/helpers/headless.js';
import { startHeadless } from '../../e2e/helpers/headless.js';
import { JsonInbox, deepJson, httpGet, openSocket } from './host-probes.js';
import { FrameReader, closeCode, namedMalformedFrames, rawUpgrade } from './raw-websocket.js';

let host: HeadlessHandle;
let port: number;
let gateway: { port: number; token: string };

beforeAll(async () => {
  host = await startHeadless();
  port = Number(new URL(host.origin).port);
  const endpoint = JSON.parse(readFileSync(join(host.dataDir, 'gateway.json'), 'utf8')) as { url: string };
  gateway = { port: Number(new URL(endpoint.url).port), token: readFileSync(join(host.dataDir, 'gateway-token'), 'utf8').trim() };
}, 120_000);

afterAll(async () => host?.stop());

function running(): boolean {
  return host.process.exitCode === null && host.process.signalCode === null;
}

/** The host still serves the page and answers a bridge call. */
async function stillServes(): Promise<void> {
  expect(running()).toBe(true);
  expect((await httpGet(port, '/')).status).toBe(200);
  const ws = await openSocket(`ws://127.0.0.1:${port}/bridge?token=${host.token}`);
  const inbox = new JsonInbox(ws);
  ws.send(JSON.stringify({ type: 'call', id: 1, call: 'system.info' }));
  expect(await inbox.next((f) => f.type === 'result')).toMatchObject({ id: 1, result: { ok: true, value: { name: 'switchyard' } } });
  ws.close();
}

describe('the headless host survives the inputs that used to end it', () => {
  it('GET /%E0%A4%A (a truncated percent escape) is a 400', async () => {
    expect(await httpGet(port, '/%E0%A4%A')).toMatchObject({ status: 400 });
    await stillServes();
  });

  it('GET // is answered (the one-page app), not thrown on', async () => {
    const answer = await httpGet(port, '//');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<html');
    await stillServes();
  });

  it('a WebSocket upgrade to // is refused with a 4xx on the bridge and on the gateway port', async () => {
    // Not the bridge path: 404. The gateway takes any path; without a token it is 401.
    for (const [target, status] of [[port, 404], [gateway.port, 401]] as const) {
      const upgrade = await rawUpgrade(target, '//');
      expect(upgrade.status).toBe(status);
      upgrade.socket.destroy();
    }
    await stillServes();
  });

  /** Sends each malformed frame on its own upgraded socket and expects that socket closed with the frame's code, the host alive. */
  async function expectEachMalformedFrameClosed(listenerPort: number, path: string, maxFrameBytes: number): Promise<void> {
    for (const { name, frame, expectCode } of namedMalformedFrames(maxFrameBytes)) {
      const upgrade = await rawUpgrade(listenerPort, path);
      expect(upgrade.status, name).toBe(101);
      const reader = new FrameReader(upgrade.socket, upgrade.rest);
      upgrade.socket.write(frame);
      let answer = await reader.next();
      while (answer && answer.opcode !== 8) answer = await reader.next();
      expect(closeCode(answer), name).toBe(expectCode);
      upgrade.socket.destroy();
      expect(running(), name).toBe(true);
    }
    await stillServes();
  }

  it('each malformed bridge frame closes that socket with its close code; the host stays up', async () => {
    await expectEachMalformedFrameClosed(port, `/bridge?token=${host.token}`, 4 * 1024 * 1024);
  });

  it('the same malformed frames on the gateway port close only that socket', async () => {
    await expectEachMalformedFrameClosed(gateway.port, `/?token=${gateway.token}`, 1024 * 1024);
  });

  it('JSON nested 20,000 deep on a gateway line is a bad-json error line', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${gateway.port}/?token=${gateway.token}`);
    const inbox = new JsonInbox(ws);
    ws.send(`{"type":"hello","protocol":1,"name":"deep","instanceId":"deep-1","extra":${deepJson(20_000)}}`);
    const error = await inbox.next();
    expect(error).toMatchObject({ type: 'error', code: 'bad-json' });
    expect(String(error.message)).toContain('nested deeper than 128');
    // The same connection still works.
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, name: 'deep', instanceId: 'deep-instance-1' }));
    expect(await inbox.next()).toMatchObject({ type: 'welcome', name: 'deep' });
    ws.close();
    await stillServes();
  });

  it('JSON nested 20,000 deep on the bridge is a typed BadFrame', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${port}/bridge?token=${host.token}`);
    const inbox = new JsonInbox(ws);
    ws.send(`{"type":"call","id":5,"call":"system.info","input":${deepJson(20_000)}}`);
    const answer = await inbox.next((f) => f.type === 'result');
    expect(answer).toMatchObject({ id: null, result: { ok: false, error: { name: 'BadFrame' } } });
    expect(JSON.stringify(answer)).toContain('nested deeper than 128');
    ws.close();
    await stillServes();
  });
});
