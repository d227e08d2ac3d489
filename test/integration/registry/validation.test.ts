import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRegistry, RegistrationInput } from '../../../src/core/registry/types.js';
import { ValidationError } from '../../../src/shared/errors.js';
import type { RegistryFixture } from './registry-fixture.js';
import { T0, nextTurn, openFixture, registration, tableCounts } from './registry-fixture.js';

let f: RegistryFixture;
const ref = { repo: 'switchyard', name: 'agent-a' };

beforeEach(async () => {
  f = openFixture();
  f.registry.register(registration({ capabilities: ['ts'], tags: { region: 'eu' } }));
  await nextTurn();
  f.batches.length = 0;
});
afterEach(() => f.close());

/** Runs `call`, expects a ValidationError, and proves nothing was written or announced. */
async function rejects(call: (registry: AgentRegistry) => unknown): Promise<void> {
  const before = { counts: tableCounts(f.db), agents: f.registry.discover(), revision: f.registry.revision() };
  const remoteBefore = f.registry.remoteRevision();
  expect(() => call(f.registry)).toThrow(ValidationError);
  expect(tableCounts(f.db)).toEqual(before.counts);
  expect(f.registry.discover()).toEqual(before.agents);
  expect(f.registry.revision()).toBe(before.revision);
  expect(f.registry.remoteRevision()).toBe(remoteBefore);
  await nextTurn();
  expect(f.batches).toEqual([]);
}

const bad = (fields: Record<string, unknown>): RegistrationInput =>
  ({ ...registration({ name: 'newcomer' }), ...fields }) as RegistrationInput;

describe('bad input is rejected with nothing written', () => {
  it.each([
    ['an empty name', { name: '' }],
    ['a name with a space', { name: 'my agent' }],
    ['a name with a slash', { name: 'a/b' }],
    ['a 129-character name', { name: 'x'.repeat(129) }],
    ['a type with a colon', { type: 'work:er' }],
    ['a repo with a dot', { repo: 'a.b' }],
    ['an unknown status', { status: 'sleeping' }],
    ['an unknown location', { location: 'moon' }],
    ['an unknown ownership', { ownership: 'team' }],
    ['a negative load', { load: { current: -1, max: 4 } }],
    ['an infinite load', { load: { current: 1, max: Number.POSITIVE_INFINITY } }],
    ['a NaN load', { load: { current: Number.NaN, max: 1 } }],
    ['a missing instanceId', { instanceId: undefined }],
    ['an empty owner', { owner: '' }],
    ['an empty capability', { capabilities: [''] }],
    ['65 capabilities', { capabilities: Array.from({ length: 65 }, (_, i) => `c${i}`) }],
    ['a non-string tag', { tags: { region: 5 } }],
    ['an unknown field', { colour: 'red' }],
    ['metadata that is not JSON', { metadata: { when: new Date() } }],
    ['a bad heartbeat interval', { metadata: { heartbeatIntervalMs: -5 } }],
    ['oversized metadata', { metadata: { blob: 'x'.repeat(20_000) } }],
  ])('register with %s', async (_what, fields) => {
    await rejects((r) => r.register(bad(fields)));
  });

  it('register with something that is not an object', async () => {
    await rejects((r) => r.register(null as unknown as RegistrationInput));
  });

  it('a bad ref everywhere a ref is taken', async () => {
    const badRef = { repo: 'switchyard', name: 'no spaces allowed' };
    await rejects((r) => r.get(badRef));
    await rejects((r) => r.deregister(badRef));
    await rejects((r) => r.heartbeat(badRef));
    await rejects((r) => r.setStatus(badRef, 'idle'));
    await rejects((r) => r.get({ ...ref, extra: 1 } as never));
  });

  it('heartbeat with a bad load or status', async () => {
    await rejects((r) => r.heartbeat(ref, { current: -1, max: 2 }));
    await rejects((r) => r.heartbeat(ref, { current: 1, max: Number.NaN }));
    await rejects((r) => r.heartbeat(ref, undefined, 'sleeping' as never));
  });

  it('setStatus with a bad status or metadata', async () => {
    await rejects((r) => r.setStatus(ref, 'gone' as never));
    await rejects((r) => r.setStatus(ref, 'idle', { heartbeatIntervalMs: 'soon' }));
    await rejects((r) => r.setStatus(ref, 'idle', { blob: 'x'.repeat(20_000) }));
  });

  it('discover and select with a bad query or strategy', async () => {
    await rejects((r) => r.discover({ status: ['sleeping'] } as never));
    await rejects((r) => r.discover({ maxLoad: -1 }));
    await rejects((r) => r.discover({ limit: 0 }));
    await rejects((r) => r.discover({ sort: 'colour' } as never));
    await rejects((r) => r.discover({ unknownFilter: 1 } as never));
    await rejects((r) => r.select({ repo: 'switchyard' }, 'random' as never));
    await rejects((r) => r.select({ type: 'bad type' }, 'least-loaded'));
  });

  it('applyRemote with a bad record or revision, even when the rest of the batch is fine', async () => {
    const good = { ...f.registry.get(ref)!, name: 'remote-one', instanceId: 'r1', location: 'remote' as const };
    await rejects((r) => r.applyRemote([good, { ...good, name: 'bad name' }], 5));
    await rejects((r) => r.applyRemote([{ ...good, status: 'lost' as never }], 5));
    await rejects((r) => r.applyRemote([{ ...good, load: { current: -2, max: 1 } }], 5));
    await rejects((r) => r.applyRemote([good], -1));
    await rejects((r) => r.applyRemote([good], 1.5));
    await rejects((r) => r.removeRemote([{ repo: 'a.b', name: 'x' }], 5));
  });

  it('sweep with a time that is not a timestamp', async () => {
    await rejects((r) => r.sweep(Number.NaN));
    await rejects((r) => r.sweep(-T0));
  });

  it('names the bad path in the error', () => {
    try {
      f.registry.register(bad({ load: { current: -1, max: 4 } }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['load.current']);
    }
  });
});
