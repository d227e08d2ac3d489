/**
 * Fuzz of a supervised agent's stdout: a real child process (fixtures/relay.mjs) prints
 * lines the test generates, and relays back what Switchyard writes to its stdin. Each
 * batch is followed by a sentinel line whose error marks the end of its answers. The
 * agent must never be restarted (the host did not fail on its output), every answer
 * must be a protocol line with a known code, and the core must still answer.
 */
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolErrorCode } from '../../../src/shared/agent-protocol.js';
import type { TestCore } from '../agents/helpers.js';
import { startCore } from '../agents/helpers.js';
import { eventually } from '../../helpers/eventually.js';
import { FuzzTally, fuzzRuns } from './fuzz-report.js';
import { agentLine } from './fuzz-inputs.js';
import { deepJson } from './host-probes.js';

const KNOWN = new Set<string>(ProtocolErrorCode.options);
const relay = fileURLToPath(new URL('./fixtures/relay.mjs', import.meta.url));

let t: TestCore;
let child: Socket;
let pid: number;
const received: Array<Record<string, unknown>> = [];
/** Called after each line arrives, so a test waits on lines, not on a timer. */
let onLine: () => void = () => undefined;
const server = createServer();
const tally = new FuzzTally('agent-stdout');

function supervisedPid(): number | undefined {
  const agent = t.core.registry.get({ repo: 'default', name: 'relay' });
  return (agent?.metadata.supervision as { pid?: number } | undefined)?.pid;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const connected = new Promise<Socket>((resolve) => server.once('connection', resolve));
  t = await startCore();
  t.manifest({
    type: 'relay',
    command: 'node',
    args: [relay],
    env: { FUZZ_PORT: String((server.address() as AddressInfo).port) },
    // No heartbeats come from the relay: a long interval keeps the health check out of the way.
    healthCheck: { intervalMs: 600_000 },
  });
  await t.core.localAgents.start('relay');
  child = await connected;
  child.setNoDelay(true);
  let buffer = '';
  child.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
      received.push(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>);
      buffer = buffer.slice(nl + 1);
      onLine();
    }
  });
  pid = await eventually(() => supervisedPid(), 10_000, 'the relay agent to run');
});

afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => server.close(resolve));
});

let sentinel = 0;

/** Prints `lines` on the agent's stdout and returns what Switchyard answered to them. */
async function exchange(lines: string): Promise<Array<Record<string, unknown>>> {
  const ref = `sentinel-${++sentinel}`;
  const from = received.length;
  const answered = new Promise<number>((resolve) => {
    onLine = () => {
      const last = received[received.length - 1];
      if (last?.type === 'error' && last.ref === ref) resolve(received.length - 1);
    };
  });
  child.write(`${lines}\n${JSON.stringify({ type: 'nope', id: ref })}\n`);
  const end = await answered;
  return received.slice(from, end);
}

describe('agent stdout', () => {
  it('answers JSON nested 3,000 deep with a bad-json error and keeps the agent', async () => {
    const answers = await exchange(`{"type":"send","to":"x","body":${deepJson(3_000)}}`);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ type: 'error', code: 'bad-json' });
    expect(String(answers[0]?.message)).toContain('nested deeper than 128');
    expect(supervisedPid()).toBe(pid);
  });

  it('fuzz: answers every generated batch with protocol lines, never restarting the agent', async () => {
    // `spawn` is left out: a generated spawn could start real workers; its parsing is the same path.
    const types = ['hello', 'send', 'status', 'heartbeat', 'log', 'welcome', 'teleport'];
    await fc.assert(
      fc.asyncProperty(fc.array(agentLine(types), { minLength: 2, maxLength: 4 }), async (lines) => {
        tally.inputs += lines.length;
        const answers = await exchange(lines.join('\n'));
        for (const answer of answers) {
          expect(['welcome', 'error', 'message']).toContain(answer.type);
          if (answer.type === 'error') {
            expect(KNOWN).toContain(answer.code);
            tally.rejectedTyped++;
          }
        }
      }),
      fuzzRuns(500),
    );
    expect(supervisedPid()).toBe(pid);
    const alive = (await t.core.call('system.info', undefined)).ok && supervisedPid() === pid;
    const summary = tally.report(alive);
    expect(summary.inputs).toBeGreaterThanOrEqual(1_000);
    expect(summary.hostAlive).toBe(true);
  });
});
