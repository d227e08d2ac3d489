/**
 * Fuzz of the coordinator's request subjects against a real nats-server and a real
 * coordinator: 1,000 generated bodies (JSON, noise, deep nesting, near-valid requests)
 * sent to register, deregister, heartbeat and spawn with a member's token, no token or
 * a forged one in `Sy-Token`. They go out over a connection with the coordinator's own
 * NATS rights, so the server's permissions (which refuse a member most of these
 * subjects before the coordinator sees them) leave every input to the coordinator. Every request gets a reply envelope, each failure with a typed name (never
 * InternalError), and a valid register succeeds afterwards.
 */
import fc from 'fast-check';
import type { NatsConnection } from 'nats.ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coordinatorRequest, tokenHeaders } from '../../../src/core/remote/coordinator-client.js';
import { AgentInfo } from '../../../src/shared/domain.js';
import { subjects } from '../../../src/shared/nats-subjects.js';
import type { RemoteEnv } from '../remote/remote-harness.js';
import { REPO, TOKENS, remoteEnv } from '../remote/remote-harness.js';
import { FuzzTally, fuzzRuns } from './fuzz-report.js';
import { jsonishText } from './fuzz-inputs.js';
import { deepJson } from './host-probes.js';

let env: RemoteEnv;
let nc: NatsConnection;
const tally = new FuzzTally('coordinator');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

beforeAll(async () => {
  env = await remoteEnv();
  await env.startCoordinator();
  nc = await env.connect(TOKENS.coordinator);
}, 60_000);

afterAll(async () => env?.dispose());

const agentToken = fc.stringMatching(/^[a-z0-9_-]{1,20}$/);
const subject = fc.oneof(
  fc.constant(subjects.register(REPO)),
  fc.constant(subjects.deregister(REPO)),
  fc.constant(subjects.spawn(REPO)),
  agentToken.map((agent) => subjects.heartbeat(REPO, agent)),
  fc.constantFrom(subjects.register('other'), subjects.spawn('other'), subjects.heartbeat('other', 'x')),
);
const nearValid = fc
  .record(
    {
      name: fc.oneof(fc.constantFrom('alice.fuzz', 'bob.agent', 'supervisor', '../x', ''), fc.string({ maxLength: 80 })),
      type: fc.oneof(fc.constantFrom('workspace', 'worker', 'review', 'supervisor'), fc.string({ maxLength: 20 })),
      location: fc.constantFrom('local', 'remote', 'moon'),
      instanceId: fc.string({ maxLength: 80 }),
      owner: fc.constantFrom('alice', 'bob'),
      task: fc.oneof(fc.string({ maxLength: 50 }), fc.jsonValue({ maxDepth: 3 })),
      capabilities: fc.array(fc.string({ maxLength: 10 }), { maxLength: 5 }),
      load: fc.record({ current: fc.integer(), max: fc.integer() }),
      status: fc.constantFrom('active', 'idle', 'busy', 'terminated', 'x'),
      metadata: fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.integer({ min: 130, max: 1_000 }).map((d) => JSON.parse(`{"deep":${'['.repeat(d)}${']'.repeat(d)}}`) as unknown)),
    },
    { requiredKeys: [] },
  )
  .map((body) => JSON.stringify(body));
const body = fc.oneof(nearValid, jsonishText(), fc.integer({ min: 130, max: 25_000 }).map((d) => `{"name":"x","metadata":${deepJson(d)}}`));
const token = fc.oneof(fc.constant<string | undefined>(TOKENS.alice), fc.constant(TOKENS.alice), fc.constant(undefined), fc.constantFrom('nope:nope', 'alice:wrong', ''));

describe('coordinator fuzz', () => {
  it('answers every generated request with an envelope, failures typed', async () => {
    const names = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(subject, body, token, async (to, text, credential) => {
        tally.inputs++;
        const reply = await nc.request(to, encoder.encode(text), { timeout: 5_000, headers: tokenHeaders(credential) });
        const envelope = JSON.parse(decoder.decode(reply.data)) as { ok: boolean; error?: { name: string } };
        if (!envelope.ok) {
          const name = envelope.error?.name ?? '';
          expect(name, `${to}: ${text.slice(0, 200)}`).not.toBe('InternalError');
          expect(name).toMatch(/^[A-Z][A-Za-z]+$/);
          names.set(name, (names.get(name) ?? 0) + 1);
          tally.rejectedTyped++;
        }
      }),
      fuzzRuns(),
    );
    const registered = await coordinatorRequest(nc, subjects.register(REPO), { name: 'alice.after-fuzz', type: 'workspace', location: 'local', instanceId: 'i-after' }, TOKENS.alice, AgentInfo);
    const summary = tally.report(registered.owner === 'alice', { rejectedByName: Object.fromEntries(names) });
    expect(summary.inputs).toBeGreaterThanOrEqual(1_000);
    expect(summary.hostAlive).toBe(true);
  });
});
