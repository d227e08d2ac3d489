/**
 * Tasks on one desktop, with the shipped agents as real child processes: phases move on
 * the agents' own messages, a timeout fails the task with TimeoutError and cancels it at
 * the agent, a validator decides, and a send that cannot be made leaves no task behind.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../../src/shared/tasks.js';
import type { TestCore } from '../agents/helpers.js';
import { GatewayClient, gatewayToken, startCore } from '../agents/helpers.js';
import { eventually } from '../../helpers/eventually.js';

const COMMAND = fileURLToPath(new URL('../../../resources/agents/command.mjs', import.meta.url));

/** Every record tasks.changed carried, in order. */
function watchTasks(t: TestCore): TaskRecord[] {
  const seen: TaskRecord[] = [];
  t.core.on('tasks.changed', ({ upserts }) => seen.push(...upserts));
  return seen;
}

async function create(t: TestCore, input: Record<string, unknown>): Promise<TaskRecord> {
  const result = await t.core.call('tasks.create', input);
  if (!result.ok) throw Object.assign(new Error(result.error.message), { name: result.error.name });
  return result.value as TaskRecord;
}

const phases = (task: TaskRecord) => task.history.map((h) => h.phase);

describe('tasks on a desktop', () => {
  let t: TestCore;
  afterEach(async () => t?.close());

  it('moves through planning and executing to complete on the echo agent\'s own messages', async () => {
    t = await startCore({ gateway: false });
    const seen = watchTasks(t);
    await t.core.localAgents.start('echo');
    const created = await create(t, { title: 'say hi', body: 'hi there', to: 'echo' });
    expect(created).toMatchObject({ requestedBy: 'user', target: 'echo', assignedTo: 'echo', repo: 'default' });

    const done = await eventually(() => seen.find((task) => task.id === created.id && task.phase === 'complete'));
    expect(phases(done)).toEqual(['init', 'planning', 'executing', 'complete']);
    expect(done.result).toMatchObject({ taskId: created.id, text: 'hi there' });
    expect(done.error).toBeNull();
    // The task's messages are its traces: the assignment and both answers.
    const kinds = done.messageIds.map((id) => t.core.routing.traces.get(id)?.summary.kind);
    expect(kinds).toEqual(['task.assigned', 'task.started', 'task.completed']);
    expect(await t.core.call('tasks.get', { id: created.id })).toMatchObject({ ok: true, value: { phase: 'complete' } });
    expect(await t.core.call('tasks.list', { phase: ['complete'] })).toMatchObject({ ok: true, value: [{ id: created.id }] });
    expect(await t.core.call('tasks.list', { agent: 'nobody' })).toEqual({ ok: true, value: [] });
  });

  it('schedules no retry once closed, not even for the changes its close hands over (it would run on a closed database)', async () => {
    t = await startCore({ gateway: false });
    const queued = await create(t, { title: 'wait', body: 'for nobody', to: 'type:nobody' });
    expect(queued).toMatchObject({ phase: 'init', assignedTo: null });
    const { service } = t.core.tasks;
    let retries = 0;
    const retry = service.retryQueued.bind(service);
    service.retryQueued = () => {
      retries++;
      retry();
    };
    // A change still pending when the tasks close: their close hands it over.
    const cancelled = service.cancel({ id: queued.id });
    t.core.tasks.close();
    await cancelled;
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(retries).toBe(0);
  });

  it('runs a task through the command adapter: its prompt on stdin, its output as the result, a failure as failed', async () => {
    t = await startCore({ gateway: false });
    const seen = watchTasks(t);
    await t.core.localAgents.start('command');
    const ok = await create(t, { title: 'shout', body: 'quiet words', to: 'command' });
    const done = await eventually(() => seen.find((task) => task.id === ok.id && task.phase === 'complete'));
    expect(done.result).toMatchObject({ output: 'QUIET WORDS' });
    expect(phases(done)).toEqual(['init', 'planning', 'executing', 'complete']);

    t.manifest({ type: 'broken', command: 'node', args: [COMMAND], config: { command: 'node', args: ['-e', 'process.exit(3)'] } });
    await t.core.localAgents.start('broken');
    const bad = await create(t, { title: 'break', body: 'x', to: 'broken' });
    const failed = await eventually(() => seen.find((task) => task.id === bad.id && task.phase === 'failed'));
    expect(failed.error).toMatchObject({ name: 'TaskFailed', message: 'exit code 3' });
  });

  it('fails a task past its timeout with TimeoutError and sends task.cancel to the agent, which stops its command', async () => {
    t = await startCore({ gateway: false });
    const seen = watchTasks(t);
    t.manifest({ type: 'sleeper', command: 'node', args: [COMMAND], config: { command: 'node', args: ['-e', 'setInterval(() => {}, 1000)'], timeoutMs: 60_000 } });
    await t.core.localAgents.start('sleeper');
    await eventually(() => (t.core.registry.get({ repo: 'default', name: 'sleeper' })?.metadata.supervision as { state?: string } | undefined)?.state === 'running');
    const task = await create(t, { title: 'never ends', body: 'zzz', to: 'sleeper', timeoutMs: 1_000 });
    const failed = await eventually(() => seen.find((r) => r.id === task.id && r.phase === 'failed'));
    expect(failed.error).toMatchObject({ name: 'TimeoutError' });
    expect(failed.history.at(-1)).toMatchObject({ phase: 'failed', by: 'timeout' });
    expect(failed.updatedAt - failed.createdAt).toBeGreaterThanOrEqual(1_000);
    const cancel = await eventually(() => t.core.routing.traces.query({ kind: 'task.cancel' }).items.find((s) => s.to === 'sleeper' && s.status === 'delivered'));
    expect(cancel.from).toBe('user');
    // The adapter started the command and stopped it on the cancel: it says the task started, and nothing more.
    await eventually(() => t.core.routing.traces.query({ kind: 'task.started' }).items.length === 1);
    await eventually(() => t.core.registry.get({ repo: 'default', name: 'sleeper' })?.status === 'idle');
    expect(t.core.routing.traces.query({ kind: 'task.failed' }).items).toEqual([]);
    expect(t.core.routing.traces.query({ kind: 'task.completed' }).items).toEqual([]);
    // A final phase stays final whatever comes late.
    expect(t.core.tasks.service.get({ id: task.id })).toMatchObject({ phase: 'failed', error: { name: 'TimeoutError' } });
  });

  it('cancels a task (Cancelled) and refuses an unknown one with TaskNotFound', async () => {
    t = await startCore({ gateway: false });
    t.manifest({ type: 'sleeper', command: 'node', args: [COMMAND], config: { command: 'node', args: ['-e', 'setInterval(() => {}, 1000)'] } });
    await t.core.localAgents.start('sleeper');
    const task = await create(t, { title: 'long', body: 'zzz', to: 'sleeper' });
    const cancelled = await t.core.call('tasks.cancel', { id: task.id });
    expect(cancelled).toMatchObject({ ok: true, value: { phase: 'failed', error: { name: 'Cancelled' } } });
    expect(await t.core.call('tasks.cancel', { id: 'no-such-task' })).toMatchObject({ ok: false, error: { name: 'TaskNotFound' } });
  });

  it('refuses a task for an unknown agent with NoSuchAgent and keeps nothing of it', async () => {
    t = await startCore({ gateway: false });
    const seen = watchTasks(t);
    await expect(create(t, { title: 'lost', body: 'x', to: 'ghost' })).rejects.toMatchObject({ name: 'NoSuchAgent' });
    expect(await t.core.call('tasks.list', undefined)).toEqual({ ok: true, value: [] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([]);
    expect(await t.core.call('tasks.create', { title: '', body: 'x', to: 'echo' })).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
  });

  it('asks the validator with decision.request and completes or fails the task on its decision.made', async () => {
    t = await startCore();
    const seen = watchTasks(t);
    await t.core.localAgents.start('echo');
    const judge = await GatewayClient.connect(t.core.localAgents.gateway!.url, { token: gatewayToken(t.dataDir) });
    judge.send({ type: 'hello', protocol: 1, name: 'judge', instanceId: 'judge-1' });
    await judge.next('welcome');

    const good = await create(t, { title: 'check me', body: 'good work', to: 'echo', constraints: { validateBy: 'judge' } });
    await eventually(() => seen.find((r) => r.id === good.id && r.phase === 'validating'));
    const request = await judge.next('message', (l) => l.message.kind === 'decision.request');
    expect(request.message).toMatchObject({ from: 'user', body: { taskId: good.id, assignedTo: 'echo', result: { text: 'good work' } } });
    // Only the validator decides: the assignee's word is not a decision.
    judge.send({ type: 'send', to: 'user', kind: 'decision.made', body: { taskId: good.id, approved: true } });
    const complete = await eventually(() => seen.find((r) => r.id === good.id && r.phase === 'complete'));
    expect(phases(complete)).toEqual(['init', 'planning', 'executing', 'validating', 'complete']);
    expect(complete.history.at(-1)?.by).toBe('judge');

    const poor = await create(t, { title: 'check me too', body: 'poor work', to: 'echo', constraints: { validateBy: 'judge' } });
    await judge.next('message', (l) => l.message.kind === 'decision.request' && (l.message.body as { taskId?: string }).taskId === poor.id);
    judge.send({ type: 'send', to: 'user', kind: 'decision.made', body: { taskId: poor.id, approved: false, reason: 'not good enough' } });
    const rejected = await eventually(() => seen.find((r) => r.id === poor.id && r.phase === 'failed'));
    expect(rejected.error).toEqual({ name: 'Rejected', message: 'not good enough' });
    await judge.close();
  });
});
