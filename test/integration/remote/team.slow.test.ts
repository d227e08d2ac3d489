/**
 * The coordinator's own agents: the demo team runs as repo-owned remote agents that
 * answer messages, and spawn starts a worker that reports its task and goes away.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coordinatorRequest } from '../../../src/core/remote/coordinator-client.js';
import { SpawnReply } from '../../../src/shared/coordinator-protocol.js';
import { subjects } from '../../../src/shared/nats-subjects.js';
import type { RemoteEnv } from './remote-harness.js';
import { FAST_LIVENESS, REPO, memberInbox, sendToInbox, TOKENS, remoteEnv } from './remote-harness.js';
import { eventually } from '../../helpers/eventually.js';

let env: RemoteEnv;
beforeEach(async () => {
  env = await remoteEnv();
});
afterEach(async () => {
  await env.dispose();
});

describe('team agents', () => {
  it('runs the demo team as repo-owned remote agents that answer messages', async () => {
    const coordinator = await env.startCoordinator({}, { team: true });
    const core = await env.startCore(TOKENS.alice);
    for (const name of ['supervisor', 'merge-queue', 'review']) {
      const agent = await eventually(() => core.registry.get({ repo: REPO, name }), 15_000, `${name} in the mirror`);
      expect(agent.ownership).toBe('repo');
      expect(agent.location).toBe('remote');
      expect(agent.owner).toBe('team');
    }
    // Bob (no desktop here) reads his agents' inboxes through his own consumer.
    const nc = await env.connect(TOKENS.bob);
    const inbox = await memberInbox(nc, 'bob');
    await sendToInbox(nc, 'bob.tester', 'review', { change: 'adds a parser with tests' });
    const decision = await eventually(() => inbox.find((m) => m.kind === 'decision.made'), 15_000, 'review decision');
    expect(decision.from).toBe('review');
    expect(decision.body).toMatchObject({ verdict: 'approve' });

    // Spawn: a uniquely named worker reports its task to whoever asked, then ends.
    const spawned = await coordinatorRequest(nc, subjects.spawn(REPO), { repo: REPO, task: 'lint', spawnedBy: 'bob.tester' }, TOKENS.bob, SpawnReply);
    expect(spawned.workerName).toMatch(/^worker-\d+$/);
    const done = await eventually(() => inbox.find((m) => m.kind === 'task.completed'), 15_000, 'worker completes');
    expect(done.from).toBe(spawned.workerName);
    // Its record shows it ended, then goes once the retention time has passed.
    await eventually(() => coordinator.store.get(REPO, spawned.workerName!)?.info.status === 'terminated', 10_000, 'worker terminated');
    await eventually(
      () => coordinator.store.get(REPO, spawned.workerName!) === undefined,
      FAST_LIVENESS.staleAfterMs + FAST_LIVENESS.retainTerminatedMs + 5_000,
      'worker record removed after retention',
    );
  });
});
