/**
 * The demo supervisor under a stream of tasks: one worker per task, each worker reports
 * its task and ends, and nothing spawns on its own.
 *
 * Regression: the supervisor took its workers' reports (`task.started {task}`, …) for
 * new tasks and spawned a worker for each, whose reports spawned more; worker numbers
 * climbed by ~100 per task until the coordinator's maxWorkers refused every spawn.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KvEntry, NatsConnection } from 'nats.ws';
import type { AgentInfo, RoutedMessage } from '../../../src/shared/domain.js';
import { COORDINATOR_BUCKET, MESSAGE_STREAM, REGISTRY_BUCKET } from '../../../src/shared/nats-subjects.js';
import type { RemoteEnv } from './remote-harness.js';
import { FAST_LIVENESS, REPO, memberInbox, sendToInbox, TEAM_DIR, TOKENS, remoteEnv } from './remote-harness.js';
import { eventually } from '../../helpers/eventually.js';

let env: RemoteEnv;
beforeEach(async () => {
  env = await remoteEnv();
});
afterEach(async () => {
  await env.dispose();
});

/** Every value each worker key has had in the registry, in order (a null for a delete). */
async function watchWorkers(nc: NatsConnection): Promise<Map<string, Array<AgentInfo | null>>> {
  const history = new Map<string, Array<AgentInfo | null>>();
  const kv = await nc.jetstream().views.kv(REGISTRY_BUCKET);
  const watch = await kv.watch({ key: `${REPO}.>` });
  void (async () => {
    for await (const entry of watch as AsyncIterable<KvEntry>) {
      const name = entry.key.slice(REPO.length + 1);
      if (!name.startsWith('worker-')) continue;
      const values = history.get(name) ?? [];
      values.push(entry.operation === 'PUT' ? entry.json<AgentInfo>() : null);
      history.set(name, values);
    }
  })();
  return history;
}

const body = (message: RoutedMessage) => message.body as Record<string, unknown>;

describe('supervisor and workers', () => {
  it('spawns exactly one worker per task; each reports, ends, goes terminated and is removed', async () => {
    const TASKS = ['fix the flaky login test', 'add pagination', 'document the outbox', 'upgrade vite'];
    const coordinator = await env.startCoordinator({ team: { manifestDir: TEAM_DIR, maxWorkers: 16 } }, { team: true });
    // An admin sends and reads its own inboxes; the coordinator's credential observes the buckets.
    const nc = await env.connect(TOKENS.admin);
    const probe = await env.connect(TOKENS.coordinator);
    const workers = await watchWorkers(probe);
    const inbox = await memberInbox(nc, 'ada');
    await eventually(() => coordinator.store.get(REPO, 'supervisor')?.info.status === 'active', 15_000, 'supervisor running');

    // Two at once (their spawns overlap), then the rest one by one, each once the one before is assigned.
    const assignedCount = () => inbox.filter((m) => m.kind === 'task.assigned').length;
    await Promise.all(TASKS.slice(0, 2).map((task) => sendToInbox(nc, 'ada.tester', 'supervisor', { task }, 'task.assigned')));
    for (const [i, task] of TASKS.slice(2).entries()) {
      await eventually(() => assignedCount() >= i + 2, 20_000, `task ${i + 2} assigned`);
      await sendToInbox(nc, 'ada.tester', 'supervisor', { task }, 'task.assigned');
    }

    // Each task: assigned to its own worker, whose reports the supervisor passes on.
    const assigned = await eventually(
      () => {
        const found = inbox.filter((m) => m.kind === 'task.assigned');
        return found.length >= TASKS.length && found;
      },
      20_000,
      'every task assigned',
    );
    expect(assigned.map((m) => body(m).error)).toEqual(TASKS.map(() => null));
    const assignedTo = new Map(assigned.map((m) => [body(m).task as string, body(m).assignedTo as string]));
    expect([...assignedTo.keys()].sort()).toEqual([...TASKS].sort());
    expect(new Set(assignedTo.values()).size).toBe(TASKS.length);
    const completed = await eventually(
      () => {
        const found = inbox.filter((m) => m.kind === 'task.completed');
        return found.length >= TASKS.length && found;
      },
      20_000,
      'every task completed',
    );
    for (const done of completed) {
      expect(done.from).toBe('supervisor');
      expect(body(done).worker).toBe(assignedTo.get(body(done).task as string));
      expect(body(done).result).toBe(`done: ${body(done).task as string}`);
    }
    // The worker also knows its own task (the registry says so).
    for (const [task, worker] of assignedTo) expect(workers.get(worker)?.[0]?.metadata.task).toBe(task);

    // Every worker ends: its record goes terminated (the Agents view shows it ended).
    await eventually(
      () => [...assignedTo.values()].every((name) => workers.get(name)?.some((value) => value?.status === 'terminated')),
      10_000,
      'every worker terminated',
    );
    // Exactly one worker name was ever handed out per task (checked again after the retention wait below).
    expect([...workers.keys()].sort()).toEqual([...assignedTo.values()].sort());
    const counters = await probe.jetstream().views.kv(COORDINATOR_BUCKET);
    expect(Number((await counters.get(`worker-seq.${REPO}`))?.string())).toBe(TASKS.length);
    expect(env.logs.filter((line) => JSON.parse(line).message === 'worker spawned')).toHaveLength(TASKS.length);
    expect(env.logs.filter((line) => JSON.parse(line).message === 'worker ended')).toHaveLength(TASKS.length);
    expect(inbox.filter((m) => m.kind === 'task.assigned')).toHaveLength(TASKS.length);
    expect(inbox.filter((m) => m.kind === 'task.completed')).toHaveLength(TASKS.length);
    // No finished worker is heartbeated back to life, and their inbox consumers are gone.
    for (const name of assignedTo.values()) {
      const values = workers.get(name)!;
      const ended = values.findIndex((value) => value?.status === 'terminated');
      expect(values.slice(ended + 1).every((value) => value === null)).toBe(true);
    }
    const jsm = await probe.jetstreamManager();
    const consumers: string[] = [];
    for await (const info of jsm.consumers.list(MESSAGE_STREAM)) consumers.push(info.name);
    expect(consumers.filter((name) => name.includes('worker-'))).toEqual([]);

    // After the retention time the sweep removes the records.
    await eventually(
      () => [...assignedTo.values()].every((name) => workers.get(name)?.at(-1) === null && coordinator.store.get(REPO, name) === undefined),
      FAST_LIVENESS.staleAfterMs + FAST_LIVENESS.retainTerminatedMs + 5_000,
      'worker records removed after retention',
    );
    // Quiet through all that time: nothing spawned by itself, nothing came back to life.
    expect([...workers.keys()].sort()).toEqual([...assignedTo.values()].sort());
    expect(env.logs.filter((line) => JSON.parse(line).message === 'worker spawned')).toHaveLength(TASKS.length);
    for (const name of assignedTo.values()) {
      const values = workers.get(name)!;
      expect(values.slice(values.findIndex((value) => value?.status === 'terminated') + 1).every((value) => value === null)).toBe(true);
    }
  });
});
