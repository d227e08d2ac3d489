/**
 * Fuzz of what a desktop core reads from NATS, against a real nats-server, a real
 * coordinator and a real core: 1,000 generated payloads published to the inbox of an
 * agent the core hosts (each recorded as a rejected hop, never thrown), and 1,000
 * generated registry values (each ignored by the mirror, which keeps applying valid
 * entries). The core answers and mirrors a valid entry afterwards.
 */
import fc from 'fast-check';
import type { KV, NatsConnection } from 'nats.ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import { REGISTRY_BUCKET, registryKey, subjects } from '../../../src/shared/nats-subjects.js';
import type { RemoteEnv } from '../remote/remote-harness.js';
import { REPO, TOKENS, addLocalAgent, remoteEnv } from '../remote/remote-harness.js';
import { eventually } from '../../helpers/eventually.js';
import { FuzzTally, fuzzRuns } from './fuzz-report.js';
import { jsonishText } from './fuzz-inputs.js';
import { deepJson } from './host-probes.js';

let env: RemoteEnv;
let core: Core;
let admin: NatsConnection;
let kv: KV;
/** A valid registry record written by the coordinator, to copy for sentinels. */
let template: Record<string, unknown>;
const rejected = new Set<string>();
const tally = new FuzzTally('nats');
const encoder = new TextEncoder();

beforeAll(async () => {
  env = await remoteEnv();
  await env.startCoordinator();
  core = await env.startCore(TOKENS.alice);
  await core.remote.synced();
  core.on('messages.routed', (batch) => {
    for (const item of batch.items) if (item.status === 'rejected' && item.to === 'alice.fuzz') rejected.add(item.messageId);
  });
  addLocalAgent(core, 'alice.fuzz');
  admin = await env.connect(TOKENS.coordinator);
  kv = await admin.jetstream().views.kv(REGISTRY_BUCKET, { bindOnly: true });
  const entry = await eventually(async () => kv.get(registryKey(REPO, 'alice.fuzz')), 10_000, 'the agent in KV');
  // As another desktop's agent: this desktop skips records tagged with its own id.
  template = { ...entry.json<Record<string, unknown>>(), owner: 'bob', tags: {} };
}, 60_000);

afterAll(async () => env?.dispose());

/** A RoutedMessage with one thing wrong (or nested too deep), then noise. */
function badMessage(): fc.Arbitrary<Uint8Array> {
  const now = Date.now();
  const valid = { id: 'fuzz-message-0001', from: 'bob.agent', to: 'alice.fuzz', repo: REPO, body: 'hi', kind: 'text', timestamp: now, traceId: '0af7651916cd43dd8448eb211c80319c' };
  // Each its own id: a rejected message is traced under the id it carries, when well formed.
  const broken = fc.oneof(
    fc
      .record({ key: fc.constantFrom(...Object.keys(valid)), value: fc.jsonValue({ maxDepth: 3 }), n: fc.uuid() })
      .map(({ key, value, n }) => ({ ...valid, id: `fuzz-${n}`, [key]: value === undefined ? null : value, route: 7 })),
    fc.integer({ min: 130, max: 25_000 }).map((depth) => `{"id":"x","body":${deepJson(depth)}}`),
  );
  return fc
    .oneof(broken.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))), jsonishText())
    .map((text) => encoder.encode(text));
}

describe('NATS payloads', () => {
  it('records every generated inbox payload as a rejected hop', async () => {
    const js = admin.jetstream();
    const subject = subjects.inbox(REPO, 'coordinator-fuzz', 'alice.fuzz');
    // The router's consumer for the new local agent's inbox starts asynchronously.
    await js.publish(subject, encoder.encode('{"probe":true}'));
    await eventually(() => rejected.size > 0, 10_000, 'the inbox consumer');
    const start = rejected.size;
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(badMessage(), { minLength: 20, maxLength: 20 }), async (batch) => {
        for (const payload of batch) await js.publish(subject, payload);
        sent += batch.length;
        tally.inputs += batch.length;
        await eventually(() => rejected.size - start >= sent, 10_000, `${sent} rejected hops`);
      }),
      fuzzRuns(50),
    );
    tally.rejectedTyped += rejected.size - start;
    expect(rejected.size - start).toBe(sent);
    expect((await core.call('system.info', undefined)).ok).toBe(true);
  });

  let sentinel = 0;
  it('ignores every generated registry value and keeps mirroring valid ones', async () => {
    const value = fc.oneof(
      jsonishText(),
      fc.record({ key: fc.constantFrom(...Object.keys(template)), value: fc.jsonValue({ maxDepth: 3 }) }).map(({ key, value }) => JSON.stringify({ ...template, [key]: value ?? null, name: 'alice.ghost' })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 20, maxLength: 20 }), async (batch) => {
        for (const [i, text] of batch.entries()) await kv.put(registryKey(REPO, `alice.ghost-${i}`), encoder.encode(text));
        tally.inputs += batch.length;
        // A valid entry after the batch: once it is mirrored, the batch has been read.
        const name = `alice.sentinel-${++sentinel}`;
        await kv.put(registryKey(REPO, name), encoder.encode(JSON.stringify({ ...template, name, instanceId: `i-${name}` })));
        await eventually(() => core.registry.get({ repo: REPO, name }), 10_000, name);
        for (let i = 0; i < batch.length; i++) {
          // Ignored, or (when a generated change happened to leave the record valid) mirrored as it is.
          const ghost = core.registry.get({ repo: REPO, name: `alice.ghost-${i}` });
          if (!ghost) tally.rejectedTyped++;
        }
      }),
      fuzzRuns(50),
    );
    const alive = (await core.call('system.info', undefined)).ok === true;
    const summary = tally.report(alive);
    expect(summary.inputs).toBeGreaterThanOrEqual(2_000);
    expect(summary.hostAlive).toBe(true);
  });
});
