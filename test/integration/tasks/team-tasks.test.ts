/**
 * Tasks across machines, through a real nats-server and coordinator: a desktop's task to
 * a remote team agent (the shipped echo agent, run by the coordinator) moves on that
 * agent's messages, lands in the team's tasks bucket, and shows on a second desktop's
 * board; a member cannot put a task in another member's name.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coordinatorRequest } from '../../../src/core/remote/coordinator-client.js';
import { TaskPutReply } from '../../../src/shared/coordinator-protocol.js';
import { subjects } from '../../../src/shared/nats-subjects.js';
import type { TaskRecord } from '../../../src/shared/tasks.js';
import type { RemoteEnv } from '../remote/remote-harness.js';
import { REPO, TOKENS, remoteEnv, teamDataDir } from '../remote/remote-harness.js';
import { eventually } from '../../helpers/eventually.js';
import { ECHO_AGENT } from '../../helpers/shipped-agents.js';

let env: RemoteEnv;
beforeEach(async () => {
  env = await remoteEnv();
});
afterEach(async () => {
  await env.dispose();
});

/** The shipped echo agent as a team agent of the coordinator (its manifest in both folders the coordinator reads). */
function echoTeamManifest(): string {
  const manifest = { type: 'echo', command: 'node', args: [ECHO_AGENT], capabilities: ['echo'], healthCheck: { intervalMs: 1000, timeoutMs: 3000, failureThreshold: 3, autoRestart: true } };
  const dir = join(env.dir, 'team-manifests');
  for (const folder of [dir, join(teamDataDir(env, 0), REPO, 'agents')]) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'echo.json'), JSON.stringify(manifest));
  }
  return dir;
}

describe('team tasks', () => {
  it('moves a desktop\'s task on a remote team agent\'s messages, and a second desktop sees it in its mirror', async () => {
    await env.startCoordinator({ team: { manifestDir: echoTeamManifest(), agents: ['echo'] } }, { team: true });
    const alice = await env.startCore(TOKENS.alice);
    const bob = await env.startCore(TOKENS.bob);
    await eventually(() => alice.registry.get({ repo: REPO, name: 'echo' })?.status === 'active', 20_000, 'team echo in the mirror');
    const seen: TaskRecord[] = [];
    alice.on('tasks.changed', ({ upserts }) => seen.push(...upserts));

    const created = await alice.call('tasks.create', { title: 'echo this', body: 'over the wire', to: 'echo' });
    if (!created.ok) throw new Error(created.error.message);
    const task = created.value as TaskRecord;
    const done = await eventually(() => seen.find((r) => r.id === task.id && r.phase === 'complete'), 20_000, 'task complete');
    expect(done.history.map((h) => h.phase)).toEqual(expect.arrayContaining(['init', 'executing', 'complete']));
    expect(done).toMatchObject({ assignedTo: 'echo', result: { taskId: task.id, text: 'over the wire' } });

    // Bob's desktop mirrors the bucket: Alice's task is on his board, under her name on the wire.
    const mirrored = await eventually(
      () => (bob.handlers['tasks.list']({ repo: REPO }) as TaskRecord[]).find((r) => r.id === task.id && r.phase === 'complete'),
      20_000,
      'task in the second desktop',
    );
    expect(mirrored).toMatchObject({ requestedBy: 'alice.user', assignedTo: 'echo', title: 'echo this' });
    // It is hers, not his: his desktop follows no timeout of it and cannot cancel it as his own.
    expect(bob.tasks.service.queued().size).toBe(0);

    // Bob cannot rewrite it, nor put one in Alice's name.
    const nc = await env.connect(TOKENS.bob);
    const forged = { ...mirrored, phase: 'failed', requestedBy: 'bob.user' };
    await expect(coordinatorRequest(nc, subjects.taskPut(REPO), forged, TOKENS.bob, TaskPutReply)).rejects.toMatchObject({ name: 'NotAllowed' });
    await expect(coordinatorRequest(nc, subjects.taskPut(REPO), { ...mirrored, id: 'other-task' }, TOKENS.bob, TaskPutReply)).rejects.toMatchObject({ name: 'NotAllowed' });
    // His own task he may put.
    const own = { ...mirrored, id: 'bobs-task', requestedBy: 'bob.user' };
    await expect(coordinatorRequest(nc, subjects.taskPut(REPO), own, TOKENS.bob, TaskPutReply)).resolves.toMatchObject({ revision: expect.any(Number) });
    await eventually(() => (alice.handlers['tasks.get']({ id: 'bobs-task', repo: REPO }) as TaskRecord | null)?.requestedBy === 'bob.user', 10_000, 'bob\'s task on alice\'s board');
    expect((alice.handlers['tasks.get']({ id: task.id }) as TaskRecord).phase).toBe('complete');
  });

  it('spawns a team worker when a desktop\'s tasks wait for type:worker past the coordinator\'s rule', async () => {
    await env.startCoordinator({ spawnRules: [{ type: 'worker', whenQueuedAbove: 0, max: 1, cooldownMs: 60_000 }] }, { team: true });
    const alice = await env.startCore(TOKENS.alice);
    await eventually(() => alice.registry.get({ repo: REPO, name: 'supervisor' }), 20_000, 'team in the mirror');
    expect(alice.registry.discover({ repo: REPO, type: 'worker' })).toEqual([]);

    const created = await alice.call('tasks.create', { title: 'needs a worker', body: 'lint', to: 'type:worker', timeoutMs: 60_000 });
    expect(created).toMatchObject({ ok: true, value: { phase: 'init', assignedTo: null } });
    // The queued task reaches the bucket; the rule fires once and starts a worker as the team.
    const worker = await eventually(() => alice.registry.discover({ repo: REPO, type: 'worker' })[0], 20_000, 'a worker spawned by the rule');
    expect(worker).toMatchObject({ location: 'remote', tags: { spawnedBy: 'spawn-controller' } });
    // The coordinator's log is its trace: one `spawned` entry naming the rule, and no second worker while one runs (max 1).
    const spawned = () => env.logs.map((line) => JSON.parse(line) as { message: string; agent?: string; rule?: string }).filter((entry) => entry.message === 'spawned');
    await eventually(() => spawned().length === 1, 10_000, 'the spawn logged');
    expect(spawned()[0]).toMatchObject({ agent: worker.name, rule: expect.stringMatching(/rule for "worker": 1 queued > 0/) });
    expect(alice.registry.discover({ repo: REPO, type: 'worker' })).toHaveLength(1);
  });

  it('tracks a task a team agent hands out itself, moving it on a desktop agent\'s answers, and writes it to the bucket', async () => {
    const manifest = { type: 'delegator', command: 'node', args: [fileURLToPath(new URL('./fixtures/delegator.mjs', import.meta.url))], healthCheck: { intervalMs: 1000, timeoutMs: 3000, failureThreshold: 3, autoRestart: true } };
    const dir = join(env.dir, 'team-manifests');
    for (const folder of [dir, join(teamDataDir(env, 0), REPO, 'agents')]) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'delegator.json'), JSON.stringify(manifest));
    }
    await env.startCoordinator({ team: { manifestDir: dir, agents: ['delegator'] } }, { team: true });
    const alice = await env.startCore(TOKENS.alice, { builtinManifestDir: fileURLToPath(new URL('../../../resources/agents', import.meta.url)) });
    await alice.localAgents.start('echo');
    await eventually(() => alice.registry.get({ repo: REPO, name: 'delegator' })?.status === 'active', 20_000, 'delegator in the mirror');

    expect(await alice.call('messages.send', { to: 'delegator', body: { delegateTo: 'alice.echo', taskId: 'team-task-1' } })).toMatchObject({ ok: true });
    // The coordinator follows it (its agent asked) and the bucket brings it to Alice's board.
    const task = await eventually(
      () => (alice.handlers['tasks.get']({ id: 'team-task-1' }) as TaskRecord | null)?.phase === 'complete' && (alice.handlers['tasks.get']({ id: 'team-task-1' }) as TaskRecord),
      20_000,
      'the team agent\'s task complete on the desktop',
    );
    expect(task).toMatchObject({ requestedBy: 'delegator', assignedTo: 'alice.echo', title: 'from the team', result: { text: 'hello from the team' } });
    expect(task.history.map((h) => h.phase)).toEqual(expect.arrayContaining(['init', 'executing', 'complete']));
  });
});
