/**
 * Ownership decided by the coordinator, over real NATS: a member cannot pass itself off
 * as the team, squat another user's prefix, wear the coordinator's marks or go over its
 * quotas — each refusal typed, and nothing written.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NatsConnection } from 'nats.ws';
import { CoordinatorError, coordinatorRequest } from '../../../src/core/remote/coordinator-client.js';
import { SpawnReply } from '../../../src/shared/coordinator-protocol.js';
import { AgentInfo } from '../../../src/shared/domain.js';
import { REGISTRY_BUCKET, registryKey, subjects } from '../../../src/shared/nats-subjects.js';
import type { RemoteEnv } from './remote-harness.js';
import { REPO, TEAM_DIR, TOKENS, addLocalAgent, phaseOf, remoteEnv, stateOf } from './remote-harness.js';
import { eventually } from '../../helpers/eventually.js';

let env: RemoteEnv;
beforeEach(async () => {
  env = await remoteEnv();
});
afterEach(async () => {
  await env.dispose();
});

const register = (nc: NatsConnection, token: string, body: Record<string, unknown>) =>
  coordinatorRequest(nc, subjects.register(REPO), { location: 'local', instanceId: `i-${String(body.name)}`, ...body }, token, AgentInfo);

async function refusal(promise: Promise<unknown>): Promise<CoordinatorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CoordinatorError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Every registry key, read with the coordinator's rights (a member may only watch its repo's keys). */
async function keys(): Promise<string[]> {
  const admin = await env.connect(TOKENS.coordinator);
  const kv = await admin.jetstream().views.kv(REGISTRY_BUCKET, { bindOnly: true });
  const found: string[] = [];
  for await (const key of await kv.keys()) found.push(key);
  await admin.close();
  return found.sort();
}

describe('registration rules on the coordinator', () => {
  it('decides ownership from the type and keeps team names, user prefixes and its own marks from members', async () => {
    const coordinator = await env.startCoordinator({ instanceName: 'coord-a', requireUserPrefix: true });
    const nc = await env.connect(TOKENS.alice);

    // The reported cases: `supervisor` claimed as a task agent, and `bob.evil` under requireUserPrefix.
    const forged = await refusal(register(nc, TOKENS.alice, { name: 'supervisor', type: 'supervisor', ownership: 'task' }));
    expect(forged.name).toBe('ValidationError');
    expect(forged.message).toMatch(/repo-owned/);
    expect((await refusal(register(nc, TOKENS.alice, { name: 'bob.evil', type: 'workspace' }))).name).toBe('NotAllowed');
    // The prefix rule covers task agents too, and the team's names whatever the type.
    expect((await refusal(register(nc, TOKENS.alice, { name: 'helper', type: 'worker' }))).message).toMatch(/alice\.<name>/);
    expect((await refusal(register(nc, TOKENS.alice, { name: 'review', type: 'helper' }))).name).toBe('NotAllowed');
    // The coordinator's instance prefix and tags.
    expect((await refusal(register(nc, TOKENS.alice, { name: 'alice.x', type: 'worker', instanceId: `${coordinator.instance}/alice.x` }))).message).toMatch(
      /coord-a\//,
    );
    expect((await refusal(register(nc, TOKENS.alice, { name: 'alice.y', type: 'worker', tags: { coordinator: 'coord-a' } }))).name).toBe('NotAllowed');
    expect(await keys()).toEqual([]);

    // What is allowed still works, with the ownership the type gives.
    const own = await register(nc, TOKENS.alice, { name: 'alice.helper', type: 'worker', ownership: 'task' });
    expect(own).toMatchObject({ ownership: 'task', owner: 'alice' });
    const admin = await env.connect(TOKENS.admin);
    expect(await register(admin, TOKENS.admin, { name: 'review', type: 'review', location: 'remote' })).toMatchObject({ ownership: 'repo' });
    expect(await keys()).toEqual([registryKey(REPO, 'alice.helper'), registryKey(REPO, 'review')]);
  });

  it('enforces quotas per identity with QuotaExceeded: metadata size and agents per user', async () => {
    // With a worker runner (no team agents), so spawns count against the quota too.
    await env.startCoordinator(
      { quotas: { metadataBytes: 1024, agentsPerUser: 5, users: { bob: { agentsPerUser: 2 } } }, team: { manifestDir: TEAM_DIR, agents: [] } },
      { team: true },
    );
    const nc = await env.connect(TOKENS.bob);
    const big = await refusal(register(nc, TOKENS.bob, { name: 'bob.big', type: 'workspace', metadata: { notes: 'x'.repeat(2_000) } }));
    expect(big.name).toBe('QuotaExceeded');
    expect(big.message).toMatch(/limit is 1024/);

    await register(nc, TOKENS.bob, { name: 'bob.one', type: 'workspace' });
    await register(nc, TOKENS.bob, { name: 'bob.two', type: 'workspace' });
    // Re-registering a held name is not one more agent.
    await register(nc, TOKENS.bob, { name: 'bob.two', type: 'workspace', status: 'busy' });
    const third = await refusal(register(nc, TOKENS.bob, { name: 'bob.three', type: 'workspace' }));
    expect(third.name).toBe('QuotaExceeded');
    expect(third.message).toMatch(/already has 2 agents; the limit is 2/);
    // A spawned worker would be one more agent of bob's, and its metadata is bounded the same way.
    const spawn = (metadata: Record<string, unknown>) =>
      refusal(coordinatorRequest(nc, subjects.spawn(REPO), { repo: REPO, task: 'lint', spawnedBy: 'bob.one', metadata }, TOKENS.bob, SpawnReply));
    expect((await spawn({})).name).toBe('QuotaExceeded');
    expect((await spawn({ notes: 'x'.repeat(2_000) })).message).toMatch(/metadata is \d+ bytes; the limit is 1024/);
    // Another user's quota is their own.
    const alice = await env.connect(TOKENS.alice);
    await register(alice, TOKENS.alice, { name: 'alice.three', type: 'workspace' });
    expect(await keys()).toEqual(['alice.three', 'bob.one', 'bob.two'].map((name) => registryKey(REPO, name)));
  });

  it('holds the agents-per-user quota when registrations and a spawn of one user arrive together', async () => {
    await env.startCoordinator({ quotas: { users: { bob: { agentsPerUser: 2 } } }, team: { manifestDir: TEAM_DIR, agents: [] } }, { team: true });
    const nc = await env.connect(TOKENS.bob);
    // Sent together: every quota check would see no agent of bob's unless each waits for the write before it.
    const outcomes = await Promise.allSettled([
      register(nc, TOKENS.bob, { name: 'bob.one', type: 'workspace' }),
      register(nc, TOKENS.bob, { name: 'bob.two', type: 'workspace' }),
      coordinatorRequest(nc, subjects.spawn(REPO), { repo: REPO, task: 'lint', spawnedBy: 'bob.one', metadata: {} }, TOKENS.bob, SpawnReply),
      register(nc, TOKENS.bob, { name: 'bob.three', type: 'workspace' }),
      register(nc, TOKENS.bob, { name: 'bob.four', type: 'workspace' }),
    ]);
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as CoordinatorError] : []));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(2);
    expect(refused.map((error) => error.name)).toEqual(['QuotaExceeded', 'QuotaExceeded', 'QuotaExceeded']);
    // Nothing written for the refused ones: bob holds two records, no worker among them.
    expect((await keys()).filter((key) => key.startsWith(`${REPO}.bob.`) || key.startsWith(`${REPO}.worker-`))).toHaveLength(2);
  });

  it('shows the desktop why the coordinator refused one of its local agents', async () => {
    // Two: the person at the desktop (alice.user) counts toward the quota too; which of the
    // two registers first is a race, so the test waits for the person before adding alice.one.
    const coordinator = await env.startCoordinator({ quotas: { users: { alice: { agentsPerUser: 2 } } } });
    const core = await env.startCore(TOKENS.alice);
    await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');
    await eventually(() => coordinator.store.get(REPO, 'alice.user'), 10_000, 'the person registered');
    addLocalAgent(core, 'alice.one');
    await eventually(() => coordinator.store.get(REPO, 'alice.one'), 10_000, 'alice.one registered');
    addLocalAgent(core, 'alice.two');
    const state = await eventually(() => (stateOf(core).lastError?.includes('alice.two') ? stateOf(core) : undefined), 10_000, 'the refusal shown');
    expect(state.phase).toBe('connected');
    expect(state.lastError).toMatch(/could not register local agent alice\.two with the team: QuotaExceeded: .*the limit is 2/);
    expect(coordinator.store.get(REPO, 'alice.two')).toBeUndefined();
  });
});
