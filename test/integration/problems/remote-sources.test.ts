/**
 * Problems of the link to the team, with a real nats-server (the documented per-user
 * permissions), the real coordinator and real desktop cores: a refusal of a local agent
 * by the coordinator, a wrong token, and the link down past its threshold, each said
 * aloud with its reason and advice and resolved when the condition clears.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import type { Problem, ProblemsChanged } from '../../../src/shared/problems.js';
import { eventually } from '../../helpers/eventually.js';
import type { RemoteEnv } from '../remote/remote-harness.js';
import { REPO, TOKENS, addLocalAgent, phaseOf, remoteEnv } from '../remote/remote-harness.js';

const SPAWNER = fileURLToPath(new URL('./fixtures/spawner.mjs', import.meta.url));

async function list(core: Core): Promise<Problem[]> {
  const result = await core.call('problems.list', undefined);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as Problem[];
}

const find = async (core: Core, id: string) => (await list(core)).find((problem) => problem.id === id);
const resolved = (core: Core, id: string) =>
  eventually(async () => {
    const problem = await find(core, id);
    return problem !== undefined && problem.resolvedAt !== null && problem;
  }, 15_000, `${id} resolved`);

describe('problems of the link to the team', () => {
  let env: RemoteEnv;
  beforeEach(async () => {
    env = await remoteEnv();
  });
  afterEach(async () => env.dispose());

  it('says aloud that the coordinator refused a local agent, why, and what to do, once; resolved when room is made', async () => {
    // Room for two: the desktop's person (`alice.user`) is one of alice's agents too, and it
    // registers first (it exists before the link is up).
    const coordinator = await env.startCoordinator({ quotas: { users: { alice: { agentsPerUser: 2 } } } });
    const events: ProblemsChanged[] = [];
    const core = await env.startCore(TOKENS.alice, { beforeConnect: (c) => void c.on('problems.changed', (change) => events.push(change)) });
    await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');
    await eventually(() => coordinator.store.get(REPO, 'alice.user'), 10_000, 'the person registered');
    addLocalAgent(core, 'alice.one');
    await eventually(() => coordinator.store.get(REPO, 'alice.one'), 10_000, 'alice.one registered');
    addLocalAgent(core, 'alice.two');
    const id = `coordinator.register:${REPO}/alice.two`;
    const problem = await eventually(() => find(core, id), 10_000, 'the refusal said aloud');
    expect(problem).toMatchObject({ severity: 'error', source: 'coordinator', title: 'The team refused to register alice.two: QuotaExceeded', resolvedAt: null });
    expect(problem.reason).toMatch(/the limit is 2/);
    expect(problem.advice).toMatch(/Stop an agent you no longer need/);
    expect(events.some((event) => event.raised.includes(id))).toBe(true);
    expect(await find(core, `coordinator.register:${REPO}/alice.one`)).toBeUndefined();

    // A change of the refused agent that the team does not see (its status) asks nothing
    // again: the refusal stands, counted once. alice.three, queued behind it, shows the
    // publisher got that far.
    core.registry.setStatus({ repo: REPO, name: 'alice.two' }, 'busy');
    addLocalAgent(core, 'alice.three');
    await eventually(() => find(core, `coordinator.register:${REPO}/alice.three`), 10_000, 'alice.three refused');
    expect((await find(core, id))?.count).toBe(1);

    // Dismissed, it leaves the list; once alice.one goes, alice.two gets in and it resolves.
    expect(await core.call('problems.dismiss', { ids: [id] })).toEqual({ ok: true, value: { dismissed: 1 } });
    expect(await find(core, id)).toBeUndefined();
    core.registry.deregister({ repo: REPO, name: 'alice.one' });
    core.registry.deregister({ repo: REPO, name: 'alice.three' });
    await eventually(() => coordinator.store.get(REPO, 'alice.two'), 10_000, 'alice.two registered once there is room');
    await eventually(() => !core.problems.center.holds(id), 10_000, 'the refusal resolved');
  });

  it('says aloud a NotAllowed refusal with its own advice', async () => {
    await env.startCoordinator();
    const core = await env.startCore(TOKENS.alice);
    await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');
    // A repo-owned type: only admins register those.
    addLocalAgent(core, 'review', 'review');
    const problem = await eventually(() => find(core, `coordinator.register:${REPO}/review`), 10_000, 'the refusal said aloud');
    expect(problem.title).toBe('The team refused to register review (as alice.review): NotAllowed');
    expect(problem.reason).toMatch(/only admins/);
    expect(problem.advice).toMatch(/ask a team admin for access/);
  });

  it('says aloud a wrong token, and resolves it once a good one is saved', async () => {
    const core = await env.startCore('alice:wrong-password');
    const problem = await eventually(() => find(core, 'link.auth-failed'), 15_000, 'the auth failure said aloud');
    expect(problem).toMatchObject({ severity: 'error', source: 'link', resolvedAt: null });
    expect(problem.title).toMatch(/refused the API token/);
    expect(problem.reason).toMatch(/Authorization Violation|AUTHORIZATION_VIOLATION/i);
    expect(problem.advice).toMatch(/API token in Settings/);

    const config = await core.call('config.get', undefined);
    if (!config.ok) throw new Error(config.error.message);
    const { apiTokenSet: _set, apiTokenFromEnvironment: _env, ...saved } = config.value as Record<string, unknown>;
    const result = await core.call('config.set', { config: saved, apiToken: TOKENS.alice });
    expect(result.ok).toBe(true);
    await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up with the good token');
    await resolved(core, 'link.auth-failed');
  });

  it('says aloud a link down for longer than the threshold, not before, and resolves it when the link is back', async () => {
    await env.startCoordinator();
    const core = await env.startCore(TOKENS.alice, { problems: { linkDownAfterMs: 1_500 } });
    await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');
    await env.server.stop();
    await eventually(() => phaseOf(core) !== 'connected', 15_000, 'link down');
    const downAt = Date.now();
    const problem = await eventually(() => find(core, 'link.down'), 15_000, 'the link down said aloud');
    expect(Date.now() - downAt).toBeGreaterThanOrEqual(1_000);
    expect(problem).toMatchObject({ severity: 'error', source: 'link', resolvedAt: null });
    expect(problem.title).toMatch(/^No link to the team for \d+ s$/);
    expect(problem.advice).toMatch(/Messages to team agents wait in the outbox/);

    await env.server.start();
    await eventually(() => phaseOf(core) === 'connected', 20_000, 'link back');
    await resolved(core, 'link.down');
  });

  it('says aloud that the team’s registry is not there while no coordinator has run, and resolves it when one starts', async () => {
    const core = await env.startCore(TOKENS.alice);
    await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');
    const problem = await eventually(() => find(core, 'link.registry-missing'), 20_000, 'the missing registry said aloud');
    expect(problem).toMatchObject({ severity: 'warning', source: 'link', title: 'The team’s registry is not there', resolvedAt: null });
    expect(problem.advice).toMatch(/coordinator creates it when it starts.*“demo”/);
    await env.startCoordinator();
    await resolved(core, 'link.registry-missing');
  });

  it('says aloud a spawn the coordinator refused when an agent asked for a worker', async () => {
    // Two: the person at the desktop (alice.user) counts toward the quota too. Once both
    // it and the spawner are registered with the team, the spawner is told to ask for a
    // worker, which would be a third (asking at start raced its own registration).
    const coordinator = await env.startCoordinator({ quotas: { users: { alice: { agentsPerUser: 2 } } } }, { team: true });
    const core = await env.startCore(TOKENS.alice);
    await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');
    await eventually(() => coordinator.store.get(REPO, 'alice.user'), 10_000, 'the person registered');
    mkdirSync(join(core.dataDir, 'agents'), { recursive: true });
    writeFileSync(
      join(core.dataDir, 'agents', 'spawner.json'),
      JSON.stringify({ type: 'spawner', command: 'node', args: [SPAWNER], config: { spawnWhenTold: true } }),
    );
    await core.localAgents.start('spawner');
    await eventually(() => coordinator.store.get(REPO, 'alice.spawner'), 10_000, 'the spawner registered');
    expect(await core.call('messages.send', { to: 'spawner', body: { text: 'ask for a worker now' } })).toMatchObject({ ok: true });
    const id = `coordinator.spawn:${REPO}/spawner/worker`;
    const problem = await eventually(() => find(core, id), 15_000, 'the refused spawn said aloud');
    expect(problem).toMatchObject({ severity: 'error', source: 'coordinator', title: 'The team refused to spawn a worker for spawner: QuotaExceeded' });
    expect(problem.reason).toMatch(/the limit is 2/);
    expect(problem.advice).toMatch(/raise your quota/);
  });

  it('says aloud a spawn no one could run: the coordinator runs no workers and fallback is off', async () => {
    await env.startCoordinator();
    const core = await env.startCore(TOKENS.alice);
    await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');
    mkdirSync(join(core.dataDir, 'agents'), { recursive: true });
    writeFileSync(join(core.dataDir, 'agents', 'spawner.json'), JSON.stringify({ type: 'spawner', command: 'node', args: [SPAWNER] }));
    await core.localAgents.start('spawner');
    const problem = await eventually(() => find(core, `router.spawn:${REPO}/spawner/worker`), 15_000, 'the failed spawn said aloud');
    expect(problem).toMatchObject({ severity: 'error', source: 'router', title: 'spawner could not spawn a worker: WorkersUnavailable' });
    expect(problem.reason).toMatch(/runs no workers/);
    expect(problem.advice).toMatch(/Fall back to a local agent/);
  });
});
