/**
 * The team's blackboard: a real nats-server with the documented permissions, a real
 * coordinator, and desktop cores of different users. Writes go through the coordinator,
 * which checks the write rules; every desktop watches the bucket and reads its copy.
 */
import type { KV } from 'nats.ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import type { ContextChanged, ContextEntry, ContextValue } from '../../../src/shared/blackboard.js';
import { CONTEXT_BUCKET } from '../../../src/shared/nats-subjects.js';
import { eventually } from '../../helpers/eventually.js';
import type { RemoteEnv } from '../remote/remote-harness.js';
import { REPO, TOKENS, addLocalAgent, phaseOf, remoteEnv } from '../remote/remote-harness.js';

let env: RemoteEnv;
beforeEach(async () => {
  env = await remoteEnv();
});
afterEach(async () => {
  await env.dispose();
});

async function desktop(token: string): Promise<{ core: Core; changes: ContextEntry[] }> {
  const core = await env.startCore(token);
  const changes: ContextEntry[] = [];
  core.on('context.changed', (event: ContextChanged) => changes.push(...event.entries));
  await core.remote.synced();
  return { core, changes };
}

async function get(core: Core, key: string, history = false): Promise<ContextValue> {
  const result = await core.call('context.get', { key, history });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as ContextValue;
}

async function bucket(): Promise<KV> {
  return env.coordinators[0]!.nc.jetstream().views.kv(CONTEXT_BUCKET, { bindOnly: true });
}

describe('the team blackboard', () => {
  it("carries one desktop's writes to another desktop's watch, as the person and as a local agent", async () => {
    const coordinator = await env.startCoordinator();
    const alice = await desktop(TOKENS.alice);
    const bob = await desktop(TOKENS.bob);

    const written = await alice.core.call('context.set', { key: 'user/alice/notes', value: { todo: ['review'] } });
    expect(written).toMatchObject({ ok: true, value: { repo: REPO, key: 'user/alice/notes', writer: 'alice.user', operation: 'put' } });
    const seen = await eventually(() => bob.changes.find((e) => e.key === 'user/alice/notes'));
    expect(seen).toMatchObject({ value: { todo: ['review'] }, writer: 'alice.user' });
    expect((await get(bob.core, 'user/alice/notes')).entry).toEqual(seen);

    // Alice's local agent `worker` is `alice.worker` on the team; once the coordinator knows
    // it as hers, it writes under its own prefix.
    addLocalAgent(alice.core, 'worker');
    await eventually(() => coordinator.store.get(REPO, 'alice.worker')?.info.owner === 'alice');
    const asAgent = await alice.core.call('context.set', { key: 'agent/alice.worker/state', value: 'busy', as: 'worker' });
    expect(asAgent).toMatchObject({ ok: true, value: { writer: 'alice.worker' } });
    await eventually(async () => (await get(bob.core, 'agent/alice.worker/state')).entry?.writer === 'alice.worker');
    expect(await bob.core.call('context.list', { prefix: 'agent' })).toMatchObject({ ok: true, value: [{ key: 'agent/alice.worker/state', value: 'busy' }] });
  });

  it("refuses writes outside the writer's prefixes with ContextWriteDenied, leaving nothing in the bucket", async () => {
    const coordinator = await env.startCoordinator();
    const alice = await desktop(TOKENS.alice);
    const bob = await desktop(TOKENS.bob);
    addLocalAgent(alice.core, 'worker');
    addLocalAgent(bob.core, 'worker');
    await eventually(() => coordinator.store.get(REPO, 'alice.worker') && coordinator.store.get(REPO, 'bob.worker'));

    const refused = [
      { key: 'user/bob/notes', value: 'mine now' },
      { key: 'repo/plan', value: 'members do not write the repo plan' },
      { key: 'agent/bob.worker/state', value: 'not my agent' },
      { key: 'agent/bob.worker/state', value: 'nor as my agent', as: 'worker' },
      { key: 'elsewhere/x', value: 1 },
    ];
    for (const input of refused) {
      const result = await alice.core.call('context.set', input);
      expect(result, input.key).toMatchObject({ ok: false, error: { name: 'ContextWriteDenied' } });
    }
    const kv = await bucket();
    expect(await kv.get(`${REPO}.user/bob/notes`)).toBeNull();
    expect(await kv.get(`${REPO}.repo/plan`)).toBeNull();
    expect(await kv.get(`${REPO}.agent/bob.worker/state`)).toBeNull();
    expect((await kv.status()).values).toBe(0);

    // The same keys are fine for their owners: bob, his agent, and an admin for `repo/`.
    expect(await bob.core.call('context.set', { key: 'user/bob/notes', value: 'mine' })).toMatchObject({ ok: true });
    expect(await bob.core.call('context.set', { key: 'agent/bob.worker/state', value: 'idle', as: 'worker' })).toMatchObject({ ok: true });
    const admin = await desktop(TOKENS.admin);
    expect(await admin.core.call('context.set', { key: 'repo/plan', value: 'ship it' })).toMatchObject({ ok: true, value: { writer: 'ada.user' } });
    await eventually(async () => (await get(alice.core, 'repo/plan')).entry?.value === 'ship it');
    // Alice's watch sees each of the three writes, in its own time (a read may come first).
    const watched = () => [...new Set(alice.changes.map((e) => e.key))].sort().join(',');
    await eventually(() => watched() === 'agent/bob.worker/state,repo/plan,user/bob/notes', 10_000, 'the three writes watched');
    expect(alice.changes.map((e) => e.key).sort()).toEqual(['agent/bob.worker/state', 'repo/plan', 'user/bob/notes']);

    // A member's NATS user cannot write the bucket around the coordinator.
    const raw = await env.connect(TOKENS.alice);
    const direct = await raw.jetstream({ timeout: 2_000 }).views.kv(CONTEXT_BUCKET, { bindOnly: true });
    await expect(direct.put(`${REPO}.repo/plan`, new TextEncoder().encode('{}'))).rejects.toThrow();
    expect((await get(bob.core, 'repo/plan')).entry?.value).toBe('ship it');
  });

  it('expires a TTL entry for every reader, the coordinator sweeps it, and history keeps each revision', async () => {
    await env.startCoordinator();
    const alice = await desktop(TOKENS.alice);
    const bob = await desktop(TOKENS.bob);

    for (const step of [1, 2, 3]) await alice.core.call('context.set', { key: 'shared/plan', value: { step } });
    const plan = await eventually(async () => {
      const value = await get(bob.core, 'shared/plan', true);
      return value.history.length === 3 && value;
    });
    expect(plan.entry?.value).toEqual({ step: 3 });
    expect(plan.history.map((e) => e.value)).toEqual([{ step: 3 }, { step: 2 }, { step: 1 }]);

    const lease = await alice.core.call('context.set', { key: 'shared/lease', value: 'alice', ttlMs: 400 });
    expect(lease).toMatchObject({ ok: true, value: { expiresAt: expect.any(Number) } });
    await eventually(async () => (await get(bob.core, 'shared/lease')).entry?.value === 'alice');
    await eventually(async () => (await get(bob.core, 'shared/lease')).entry === null);
    const swept = await eventually(() => bob.changes.find((e) => e.key === 'shared/lease' && e.operation === 'delete'));
    expect(swept).toMatchObject({ writer: 'coordinator', value: null });
    expect(await bob.core.call('context.list', { prefix: 'shared' })).toMatchObject({ ok: true, value: [{ key: 'shared/plan' }] });

    // With the server gone, reads come from the desktop's copy; writes say why they cannot go.
    await env.server.stop();
    await eventually(() => phaseOf(bob.core) === 'reconnecting');
    expect((await get(bob.core, 'shared/plan', true)).history).toHaveLength(3);
    expect(await bob.core.call('context.set', { key: 'shared/x', value: 1 })).toMatchObject({ ok: false, error: { name: 'RemoteUnavailable' } });
  });
});
