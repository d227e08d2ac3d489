/**
 * Fuzz of the WebSocket bridge on a real core: 1,000 generated messages over one socket
 * (text, JSON, calls with random inputs, deep nesting, binary), each answered with a
 * result; then 1,000 raw frames written on raw TCP sockets after a valid upgrade, each
 * ending in a result or a close code. The host answers a valid call afterwards.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../../src/core/bridge/bridge-server.js';
import { attachBridge } from '../../../src/core/bridge/bridge-server.js';
import type { Core } from '../../../src/core/core.js';
import { createCore } from '../../../src/core/core.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { FuzzTally, fuzzRuns } from './fuzz-report.js';
import { jsonishText, rawFrame } from './fuzz-inputs.js';
import { JsonInbox, openSocket } from './host-probes.js';
import { FrameReader, closeCode, encodeFrame, rawUpgrade } from './raw-websocket.js';

const TOKEN = 'bridge-fuzz-token-0123456789';
/** Calls that only read (or fail on their input): a random input must not start agents or dial out. */
const CALLS = ['system.info', 'config.get', 'connection.get', 'agents.list', 'agents.get', 'agents.select', 'traces.query', 'traces.get', 'manifests.list', 'agents.logs', 'messages.send'];
const TYPED = new Set(['BadFrame', 'ValidationError', 'UnknownCall', 'NoSuchAgent', 'NoAgentAvailable', 'MessageTooLarge', 'AgentNotRunning']);

let core: Core;
let bridge: Bridge;
let port: number;
let cleanup: Array<() => unknown> = [];
const tally = new FuzzTally('bridge');

beforeAll(async () => {
  const dir = makeTempDir();
  core = await createCore({ dataDir: dir.path, env: {} });
  const server = createServer((_req, res) => res.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  bridge = attachBridge(server, { core, token: TOKEN, isAllowedOrigin: () => false });
  cleanup = [() => bridge.close(), () => new Promise((r) => server.close(r)), () => core.close(), () => dir.remove()];
});

afterAll(async () => {
  for (const step of cleanup) await step();
});

async function answersAValidCall(): Promise<boolean> {
  const ws = await openSocket(`ws://127.0.0.1:${port}/bridge?token=${TOKEN}`);
  const inbox = new JsonInbox(ws);
  ws.send(JSON.stringify({ type: 'call', id: 42, call: 'system.info' }));
  const answer = await inbox.next((f) => f.type === 'result');
  ws.close();
  return (answer.result as { ok?: boolean }).ok === true && answer.id === 42;
}

const message = fc.oneof(
  jsonishText(),
  fc.record({ type: fc.constantFrom('call', 'result', 'x'), id: fc.oneof(fc.nat(), fc.string(), fc.constant(-1)), call: fc.oneof(fc.constantFrom(...CALLS), fc.string()), input: fc.jsonValue({ maxDepth: 5 }) }, { requiredKeys: [] }).map((f) => JSON.stringify(f)),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
);

describe('bridge fuzz', () => {
  it('answers every generated message with a result, typed when it fails', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${port}/bridge?token=${TOKEN}`);
    const inbox = new JsonInbox(ws);
    await fc.assert(
      fc.asyncProperty(message, async (input) => {
        tally.inputs++;
        ws.send(input);
        const answer = await inbox.next((f) => f.type === 'result');
        const result = answer.result as { ok: boolean; error?: { name: string } };
        if (!result.ok) {
          expect(TYPED, JSON.stringify(answer).slice(0, 300)).toContain(result.error?.name);
          tally.rejectedTyped++;
        }
      }),
      fuzzRuns(),
    );
    ws.close();
    expect(await answersAValidCall()).toBe(true);
  });

  it('ends every raw frame in a result or a close code, one socket at a time', async () => {
    await fc.assert(
      fc.asyncProperty(rawFrame(), async (spec) => {
        tally.inputs++;
        const upgrade = await rawUpgrade(port, `/bridge?token=${TOKEN}`);
        expect(upgrade.status).toBe(101);
        const reader = new FrameReader(upgrade.socket, upgrade.rest);
        // The frame, then a proper close: a valid or pending frame then ends with 1000.
        upgrade.socket.write(Buffer.concat([encodeFrame(spec), encodeFrame({ opcode: 8, payload: Buffer.from([0x03, 0xe8]) })]));
        let frame = await reader.next();
        let typed = false;
        while (frame && frame.opcode !== 8) {
          if (frame.opcode === 1) {
            const answer = JSON.parse(frame.payload.toString()) as { result?: { ok: boolean; error?: { name: string } } };
            if (answer.result && !answer.result.ok) {
              expect(TYPED).toContain(answer.result.error?.name);
              typed = true;
            }
          }
          frame = await reader.next();
        }
        // The server always ends with a close frame: a protocol error's code, or an echo of a valid close.
        expect(frame?.opcode).toBe(8);
        const code = closeCode(frame);
        if (code === 1002 || code === 1007 || code === 1009) typed = true;
        if (typed) tally.rejectedTyped++;
        upgrade.socket.destroy();
      }),
      fuzzRuns(),
    );
    const summary = tally.report(await answersAValidCall());
    expect(summary.inputs).toBeGreaterThanOrEqual(2_000);
    expect(summary.hostAlive).toBe(true);
  });
});
