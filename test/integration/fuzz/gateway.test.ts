/**
 * Fuzz of the local gateway on a real core: 1,000 generated frames of agent-protocol
 * lines (valid, invalid, deeply nested, several per frame) over as few sockets as the
 * protocol allows, each frame followed by a sentinel line whose error marks the end of
 * its answers; then 1,000 raw WebSocket frames and random upgrade targets. Every answer
 * is a protocol line with a known code, and an agent can still say hello afterwards.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ProtocolErrorCode } from '../../../src/shared/agent-protocol.js';
import type { TestCore } from '../agents/helpers.js';
import { startCore } from '../agents/helpers.js';
import { FuzzTally, fuzzRuns } from './fuzz-report.js';
import { agentLine, rawFrame } from './fuzz-inputs.js';
import { JsonInbox, openSocket } from './host-probes.js';
import { FrameReader, closeCode, encodeFrame, rawUpgrade } from './raw-websocket.js';

let t: TestCore;
let port: number;
let token: string;
const tally = new FuzzTally('gateway');

beforeAll(async () => {
  t = await startCore();
  port = Number(new URL(t.core.localAgents.gateway!.url).port);
  token = readFileSync(join(t.dataDir, 'gateway-token'), 'utf8').trim();
});

afterAll(async () => t?.close());

const frame = fc.array(agentLine(), { minLength: 1, maxLength: 4 }).map((lines) => lines.join('\n'));

const KNOWN = new Set<string>(ProtocolErrorCode.options);

/** A gateway connection that reopens when a refused hello closes it. */
class Connection {
  private ws!: WebSocket;
  private inbox!: JsonInbox;
  private closed!: Promise<'closed'>;
  private sentinel = 0;

  async open(): Promise<void> {
    this.ws = await openSocket(`ws://127.0.0.1:${port}/?token=${token}`);
    this.inbox = new JsonInbox(this.ws);
    const ws = this.ws;
    this.closed = new Promise((resolve) => ws.once('close', () => resolve('closed')));
  }

  /** Sends one frame and returns every line answered to it (up to the sentinel's error). */
  async exchange(text: string): Promise<Array<Record<string, unknown>>> {
    if (this.ws.readyState !== WebSocket.OPEN) await this.open();
    const ref = `sentinel-${++this.sentinel}`;
    this.ws.send(text);
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'nope', id: ref }));
    const answers: Array<Record<string, unknown>> = [];
    for (;;) {
      const next = await Promise.race([this.inbox.next(), this.closed]);
      if (next === 'closed') return answers;
      if (next.type === 'error' && next.ref === ref) return answers;
      answers.push(next);
    }
  }

  close(): void {
    this.ws.close();
  }
}

async function helloStillWorks(): Promise<boolean> {
  const ws = await openSocket(`ws://127.0.0.1:${port}/?token=${token}`);
  const inbox = new JsonInbox(ws);
  ws.send(JSON.stringify({ type: 'hello', protocol: 1, name: 'after-fuzz', instanceId: 'after-fuzz-instance' }));
  const answer = await inbox.next();
  ws.close();
  return answer.type === 'welcome';
}

describe('gateway fuzz', () => {
  it('answers every generated frame with protocol lines, errors with known codes', async () => {
    const connection = new Connection();
    await connection.open();
    await fc.assert(
      fc.asyncProperty(frame, async (text) => {
        tally.inputs++;
        const answers = await connection.exchange(text);
        for (const answer of answers) {
          expect(['welcome', 'error', 'message']).toContain(answer.type);
          if (answer.type === 'error') {
            expect(KNOWN, JSON.stringify(answer).slice(0, 300)).toContain(answer.code);
          }
        }
        if (answers.some((a) => a.type === 'error')) tally.rejectedTyped++;
      }),
      fuzzRuns(),
    );
    connection.close();
    expect(await helloStillWorks()).toBe(true);
  });

  it('ends every raw frame in an answer or a close code', async () => {
    await fc.assert(
      fc.asyncProperty(rawFrame(), async (spec) => {
        tally.inputs++;
        const upgrade = await rawUpgrade(port, `/?token=${token}`);
        expect(upgrade.status).toBe(101);
        const reader = new FrameReader(upgrade.socket, upgrade.rest);
        upgrade.socket.write(Buffer.concat([encodeFrame(spec), encodeFrame({ opcode: 8, payload: Buffer.from([0x03, 0xe8]) })]));
        let next = await reader.next();
        let typed = false;
        while (next && next.opcode !== 8) {
          if (next.opcode === 1) {
            const answer = JSON.parse(next.payload.toString()) as { type: string; code?: string };
            if (answer.type === 'error') {
              expect(KNOWN).toContain(answer.code);
              typed = true;
            }
          }
          next = await reader.next();
        }
        expect(next?.opcode).toBe(8);
        const code = closeCode(next);
        if (code === 1002 || code === 1007 || code === 1009 || code === 4400) typed = true;
        if (typed) tally.rejectedTyped++;
        upgrade.socket.destroy();
      }),
      fuzzRuns(),
    );
  });

  it('answers random upgrade targets with 101 or a 4xx', async () => {
    const target = fc.oneof(
      fc.constantFrom('//', '//[', '/%E0%A4%A', '/?token=', '*', 'http://x/', '/%', `/?token=${'x'.repeat(200)}`),
      fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 }).map((s) => `/${s}`),
      fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(target, fc.boolean(), async (path, withToken) => {
        tally.inputs++;
        const upgrade = await rawUpgrade(port, path, withToken ? { Authorization: `Bearer ${token}` } : {});
        upgrade.socket.destroy();
        expect(upgrade.status === 101 || (upgrade.status >= 400 && upgrade.status < 500)).toBe(true);
        if (upgrade.status >= 400) tally.http4xx++;
      }),
      fuzzRuns(300),
    );
    const summary = tally.report(await helloStillWorks());
    expect(summary.inputs).toBeGreaterThanOrEqual(2_000);
    expect(summary.hostAlive).toBe(true);
  });
});
