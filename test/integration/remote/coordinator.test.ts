/**
 * The coordinator's rules over real NATS: ownership and repo isolation, typed errors,
 * malformed payloads, liveness, restarts and a second coordinator in the queue group.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NatsConnection } from 'nats.ws';
import { CoordinatorError, coordinatorRequest, tokenHeaders } from '../../../src/core/remote/coordinator-client.js';
import { AgentInfo } from '../../../src/shared/domain.js';
import { DeregisterReply, HeartbeatReply, SpawnReply } from '../../../src/shared/coordinator-protocol.js';
import { COORDINATOR_SERVICE, REGISTRY_BUCKET, registryKey, subjects } from '../../../src/shared/nats-subjects.js';
import type { RemoteEnv } from './remote-harness.js';
import { FAST_LIVENESS, REPO, TEAM_DIR, TOKENS, addLocalAgent, phaseOf, remoteEnv } from './remote-harness.js';
import { consistently, eventually } from '../../helpers/eventually.js';

let env: RemoteEnv;
beforeEach(async () => {
  env = await remoteEnv();
});
afterEach(async () => {
  await env.dispose();
});

const register = (nc: NatsConnection, token: string, body: Record<string, unknown>, repo = REPO) =>
  coordinatorRequest(nc, subjects.register(repo), { location: 'local', instanceId: `i-${String(body.name)}`, ...body }, token, AgentInfo);

async function rejection(promise: Promise<unknown>): Promise<CoordinatorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CoordinatorError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const probes = new WeakMap<RemoteEnv, Promise<NatsConnection>>();

/** Reads a registry record with the coordinator's credential (members may only watch their repos' keys). */
async function kvValue(name: string) {
  if (!probes.has(env)) probes.set(env, env.connect(TOKENS.coordinator));
  const kv = await (await probes.get(env)!).jetstream().views.kv(REGISTRY_BUCKET, { bindOnly: true });
  const entry = await kv.get(registryKey(REPO, name));
  return entry && entry.operation === 'PUT' ? AgentInfo.parse(entry.json()) : undefined;
}

describe('coordinator', () => {
  it('takes the owner from the token and enforces ownership and repo isolation', async () => {
    await env.startCoordinator();
    const nc = await env.connect(TOKENS.alice);

    const mine = await register(nc, TOKENS.alice, { name: 'alice.workspace', type: 'workspace' });
    expect(mine.owner).toBe('alice');
    expect(mine.ownership).toBe('user');

    // A member cannot register a repo-owned agent.
    const repoOwned = await rejection(register(nc, TOKENS.alice, { name: 'supervisor', type: 'supervisor', location: 'remote' }));
    expect(repoOwned.name).toBe('NotAllowed');

    // A member cannot touch another user's agent: not heartbeat, not deregister, not take its name.
    const hb = await rejection(coordinatorRequest(nc, subjects.heartbeat(REPO, 'alice.workspace'), {}, TOKENS.bob, HeartbeatReply));
    expect(hb.name).toBe('NotAllowed');
    const dereg = await rejection(coordinatorRequest(nc, subjects.deregister(REPO), { name: 'alice.workspace' }, TOKENS.bob, DeregisterReply));
    expect(dereg.name).toBe('NotAllowed');
    const takeover = await rejection(register(nc, TOKENS.bob, { name: 'alice.workspace', type: 'workspace', instanceId: 'bobs' }));
    expect(takeover.name).toBe('NotAllowed');
    expect((await kvValue('alice.workspace'))?.owner).toBe('alice');
    // A name outside any user's prefix is held by its live instance.
    await register(nc, TOKENS.alice, { name: 'helper', type: 'worker' });
    const held = await rejection(register(nc, TOKENS.bob, { name: 'helper', type: 'worker', instanceId: 'bobs' }));
    expect(held.name).toBe('NameConflict');
    expect((await kvValue('helper'))?.owner).toBe('alice');

    // An owner field in the body is refused, not believed.
    const forged = await rejection(register(nc, TOKENS.bob, { name: 'bob.forged', type: 'workspace', owner: 'alice' }));
    expect(forged.name).toBe('ValidationError');

    // Repos are isolated twice: alice's NATS user may not even publish to another repo...
    await expect(register(nc, TOKENS.alice, { name: 'x', type: 'workspace' }, 'other')).rejects.toThrow(/Permissions Violation for Publish to "sy\.other\./);
    // ...and the coordinator refuses her token there even when the request gets through.
    const relay = await env.connect(TOKENS.coordinator);
    const otherRepo = await rejection(register(relay, TOKENS.alice, { name: 'x', type: 'workspace' }, 'other'));
    expect(otherRepo.name).toBe('NotAllowed');

    // An admin may register repo-owned agents.
    const admin = await env.connect(TOKENS.admin);
    const team = await register(admin, TOKENS.admin, { name: 'review', type: 'review', location: 'remote' });
    expect(team.ownership).toBe('repo');

    // No token in any log line.
    const logged = env.logs.join('\n');
    expect(logged).toContain('NotAllowed');
    for (const token of Object.values(TOKENS)) expect(logged).not.toContain(token.split(':')[1]);
  });

  it('rejects malformed payloads without effect', async () => {
    await env.startCoordinator();
    const nc = await env.connect(TOKENS.alice);
    // Counted with the coordinator's credential: a member may not read the bucket's stream info.
    const kv = await (await env.connect(TOKENS.coordinator)).jetstream().views.kv(REGISTRY_BUCKET, { bindOnly: true });
    const before = (await kv.status()).values;

    const encoder = new TextEncoder();
    const send = async (subject: string, payload: string, token: string | undefined = TOKENS.alice) => {
      const reply = await nc.request(subject, encoder.encode(payload), { timeout: 5_000, headers: tokenHeaders(token) });
      return JSON.parse(new TextDecoder().decode(reply.data)) as { ok: boolean; error?: { name: string } };
    };
    expect((await send(subjects.register(REPO), '{not json')).error?.name).toBe('ValidationError');
    expect((await send(subjects.register(REPO), '{"name":"../x","type":"workspace","location":"local","instanceId":"i"}')).error?.name).toBe(
      'ValidationError',
    );
    expect((await send(subjects.register(REPO), '[]')).error?.name).toBe('ValidationError');
    expect((await send(subjects.register(REPO), '{"name":"a","type":"workspace","location":"local","instanceId":"i"}', '')).error?.name).toBe(
      'NotAllowed',
    );
    expect((await send(subjects.register(REPO), '{"name":"a","type":"workspace","location":"local","instanceId":"i"}', 'nope:nope')).error?.name).toBe(
      'NotAllowed',
    );
    expect((await send(subjects.spawn(REPO), '{"task":""}')).error?.name).toBe('ValidationError');
    // A garbage heartbeat published without a reply changes nothing either.
    nc.publish(subjects.heartbeat(REPO, 'alice.ghost'), encoder.encode('\u0000garbage'), { headers: tokenHeaders(TOKENS.alice) });
    await nc.flush();
    expect((await kv.status()).values).toBe(before);

    // And a malformed value written into KV by someone else never reaches a mirror.
    const admin = await env.connect(TOKENS.coordinator);
    const adminKv = await admin.jetstream().views.kv(REGISTRY_BUCKET, { bindOnly: true });
    await adminKv.put(registryKey(REPO, 'broken'), encoder.encode('{"name":"broken"}'));
    const core = await env.startCore(TOKENS.alice);
    await core.remote.synced();
    expect(core.registry.get({ repo: REPO, name: 'broken' })).toBeUndefined();
  });

  it('marks an agent that stops heartbeating unreachable within the configured bound', async () => {
    await env.startCoordinator();
    const core = await env.startCore(TOKENS.alice);
    await core.remote.synced();
    const local = addLocalAgent(core, 'alice.workspace');
    await eventually(async () => (await kvValue('alice.workspace'))?.status === 'active', 10_000, 'registered');
    // Heartbeats keep it alive past the bound...
    const pastTheBound = FAST_LIVENESS.heartbeatIntervalMs * (FAST_LIVENESS.failureThreshold + 2);
    await consistently(async () => (await kvValue('alice.workspace'))?.status === 'active', pastTheBound, 'the heartbeated agent staying active');

    // ...then the desktop goes away without a word.
    await core.close();
    const silentSince = Date.now();
    const bound = FAST_LIVENESS.heartbeatIntervalMs * FAST_LIVENESS.failureThreshold + FAST_LIVENESS.sweepIntervalMs + 1_000;
    await eventually(async () => (await kvValue('alice.workspace'))?.status === 'unreachable', bound + 2_000, 'unreachable');
    expect(Date.now() - silentSince).toBeLessThan(bound + 500);
    expect(local.name).toBe('alice.workspace');
  });

  it('is discoverable as a NATS service and a second coordinator takes part of the work', async () => {
    const first = await env.startCoordinator({ instanceName: 'coord-a' });
    const second = await env.startCoordinator({ instanceName: 'coord-b' });
    const nc = await env.connect(TOKENS.alice);
    const pings = await nc.services.client().ping(COORDINATOR_SERVICE);
    const seen: string[] = [];
    for await (const ping of pings) seen.push(ping.metadata?.instance ?? '');
    expect(seen.sort()).toEqual(['coord-a', 'coord-b']);

    for (let i = 0; i < 40; i++) await register(nc, TOKENS.alice, { name: `alice.agent-${i}`, type: 'workspace' });
    expect(first.handled.register + second.handled.register).toBe(40);
    expect(first.handled.register).toBeGreaterThan(0);
    expect(second.handled.register).toBeGreaterThan(0);
  });

  it('loses nothing when the coordinator restarts, and spawns uniquely named workers', async () => {
    // Workers need a runner; no team agents are needed for them.
    const workers = { team: { manifestDir: TEAM_DIR, agents: [] } };
    const first = await env.startCoordinator(workers, { team: true });
    const nc = await env.connect(TOKENS.alice);
    await register(nc, TOKENS.alice, { name: 'alice.workspace', type: 'workspace' });
    const spawned = await coordinatorRequest(nc, subjects.spawn(REPO), { repo: REPO, task: 'fix the build', spawnedBy: 'alice.workspace' }, TOKENS.alice, SpawnReply);
    expect(spawned.workerName).toMatch(/^worker-\d+$/);
    expect(spawned.location).toBe('remote');

    await first.close();
    await env.startCoordinator(workers, { team: true });
    expect((await kvValue('alice.workspace'))?.owner).toBe('alice');
    // Still answering, and the next worker does not reuse a name.
    const again = await coordinatorRequest(nc, subjects.spawn(REPO), { repo: REPO, task: 'again', spawnedBy: 'alice.workspace' }, TOKENS.alice, SpawnReply);
    expect(again.workerName).toMatch(/^worker-\d+$/);
    expect(again.workerName).not.toBe(spawned.workerName);
    const hb = await coordinatorRequest(nc, subjects.heartbeat(REPO, 'alice.workspace'), {}, TOKENS.alice, HeartbeatReply);
    expect(hb.status).toBe('active');
  });

  it('reconnects cores after a nats-server restart and converges', async () => {
    await env.startCoordinator();
    const alice = await env.startCore(TOKENS.alice);
    const bob = await env.startCore(TOKENS.bob);
    addLocalAgent(alice, 'alice.workspace');
    await eventually(() => bob.registry.get({ repo: REPO, name: 'alice.workspace' }), 10_000, 'bob sees alice');

    await env.server.stop();
    await eventually(() => phaseOf(alice) === 'reconnecting', 10_000, 'alice notices');
    await env.server.start();
    await eventually(() => phaseOf(alice) === 'connected', 20_000, 'alice back');
    await eventually(() => phaseOf(bob) === 'connected', 20_000, 'bob back');

    // A change made after the restart reaches the other desktop.
    addLocalAgent(bob, 'bob.workspace');
    await eventually(() => alice.registry.get({ repo: REPO, name: 'bob.workspace' }), 15_000, 'alice sees bob after restart');
    expect(bob.registry.get({ repo: REPO, name: 'alice.workspace' })).toBeDefined();
  });
});
