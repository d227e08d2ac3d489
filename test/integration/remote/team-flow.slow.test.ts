/**
 * Issue 15 item 7: the demo team's work model across a real nats-server, a real
 * coordinator and a desktop core. The person asks the team's supervisor for a task of
 * several lines; the supervisor plans one subtask per line and sends each to
 * `capability:task`, which the coordinator dispatches to its long-lived task-workers
 * (least loaded first, parked while none is free); the workers' results come back in
 * the supervisor's task.completed; then the person asks the reviewer to validate it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import type { ConversationEntry } from '../../../src/shared/coding-contract.js';
import { TaskCompletedBody } from '../../../src/shared/coding.js';
import type { TaskRecord } from '../../../src/shared/tasks.js';
import { TaskDecisionBody } from '../../../src/shared/tasks.js';
import type { RemoteEnv } from './remote-harness.js';
import { REPO, TEAM_DIR, TOKENS, phaseOf, remoteEnv } from './remote-harness.js';
import { eventually } from '../../helpers/eventually.js';

let env: RemoteEnv;
beforeEach(async () => {
  env = await remoteEnv();
});
afterEach(async () => {
  await env.dispose();
});

async function call<T>(core: Core, name: string, input?: unknown): Promise<T> {
  const result = await core.call(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.name}: ${result.error.message}`);
  return result.value as T;
}

const conversation = (core: Core, peer: string) => call<ConversationEntry[]>(core, 'conversation.get', { peer });

/** What the supervisor told the person about a task, in order. */
async function fromSupervisor(core: Core, taskId: string): Promise<ConversationEntry[]> {
  return (await conversation(core, 'supervisor')).filter((e) => e.direction === 'in' && (e.body as { taskId?: string }).taskId === taskId);
}

const progressTexts = (entries: ConversationEntry[]) =>
  entries.filter((e) => e.kind === 'task.progress').flatMap((e) => (e.body as { events: Array<{ text: string }> }).events.map((ev) => ev.text));

/** `<sub> done by <worker>` progress lines: subtask → worker. */
function doneBy(entries: ConversationEntry[]): Map<string, string> {
  const pairs = progressTexts(entries)
    .map((text) => /^(\S+) done by (\S+) \(/.exec(text))
    .filter((m): m is RegExpExecArray => m !== null);
  return new Map(pairs.map((m) => [m[1]!, m[2]!]));
}

async function assignToSupervisor(core: Core, taskId: string, lines: string[]): Promise<void> {
  await call(core, 'messages.send', { to: 'supervisor', kind: 'task.assigned', body: { taskId, title: `plan ${taskId}`, prompt: lines.join('\n') } });
}

describe('the demo team: supervisor → task workers → reviewer', () => {
  it('plans a task into subtasks, dispatches them to free task workers by capability, collects the results, and the reviewer validates them', async () => {
    await env.startCoordinator(
      { team: { manifestDir: TEAM_DIR, agents: ['supervisor', 'review', 'task-worker'], replicas: { 'task-worker': 3 } } },
      { team: true },
    );
    const alice = await env.startCore(TOKENS.alice);
    await eventually(() => phaseOf(alice) === 'connected', 15_000, 'link up');
    const WORKERS = ['task-worker-1', 'task-worker-2', 'task-worker-3'];
    for (const name of ['supervisor', 'review', ...WORKERS]) {
      await eventually(() => alice.registry.get({ repo: REPO, name })?.status === 'active', 15_000, `${name} running`);
    }

    // Three lines, three free workers: each subtask to a different one.
    const LINES = ['write the parser', 'add tests for the parser', 'document the parser'];
    await assignToSupervisor(alice, 'parse-1', LINES);
    const completed = await eventually(async () => (await fromSupervisor(alice, 'parse-1')).find((e) => e.kind === 'task.completed'), 20_000, 'the supervisor completes');
    const first = await fromSupervisor(alice, 'parse-1');
    expect(first[0]!.kind).toBe('task.started');
    expect(progressTexts(first)[0]).toBe(`planned 3 subtasks: ${LINES.join(' | ')}`);
    const workers1 = doneBy(first);
    expect([...workers1.keys()].sort()).toEqual(['parse-1-s1', 'parse-1-s2', 'parse-1-s3']);
    expect(new Set(workers1.values())).toEqual(new Set(WORKERS));
    const result = TaskCompletedBody.parse(completed.body);
    expect(result.text.split('\n')).toEqual(LINES.map((line, i) => `parse-1-s${i + 1}: done: ${line}`));
    // The coordinator's choice and why: least loaded among the healthy instances offering `task`.
    const dispatched = env.logs.filter((line) => line.includes('"dispatched"') && line.includes('parse-1-s'));
    expect(dispatched).toHaveLength(3);
    for (const line of dispatched) expect(line).toMatch(/least loaded 0\/1 among \d healthy/);

    // Four lines, three workers: the fourth waits for a free worker, then runs.
    await assignToSupervisor(alice, 'parse-2', ['lex', 'parse', 'check', 'emit']);
    const second = await eventually(async () => (await fromSupervisor(alice, 'parse-2')).find((e) => e.kind === 'task.completed'), 20_000, 'the second task completes');
    expect(TaskCompletedBody.parse(second.body).text).toBe(['lex', 'parse', 'check', 'emit'].map((step, i) => `parse-2-s${i + 1}: done: ${step}`).join('\n'));
    expect(env.logs.some((line) => line.includes('parked a role send') && line.includes('capability:task'))).toBe(true);
    const workers2 = doneBy(await fromSupervisor(alice, 'parse-2'));
    expect(workers2.size).toBe(4);
    for (const worker of workers2.values()) expect(WORKERS).toContain(worker);
    // Nothing was sent to an agent without the capability.
    expect(env.logs.filter((line) => line.includes('"dispatched"')).every((line) => /"to":"task-worker-\d"/.test(line))).toBe(true);

    // The person asks the reviewer to validate the first task, naming it.
    await call(alice, 'messages.send', { to: 'review', kind: 'decision.request', body: { taskId: 'parse-1', result: result.text } });
    const decision = await eventually(
      async () => (await conversation(alice, 'review')).find((e) => e.direction === 'in' && e.kind === 'decision.made'),
      15_000,
      'the reviewer decides',
    );
    expect(TaskDecisionBody.parse(decision.body)).toEqual({ taskId: 'parse-1', approved: true, reason: 'looks good; tests included' });
  }, 90_000);

  it("runs a task created on the board: its subtasks appear under it, workers complete them, and it completes once the reviewer approves", async () => {
    await env.startCoordinator(
      { team: { manifestDir: TEAM_DIR, agents: ['supervisor', 'review', 'task-worker'], replicas: { 'task-worker': 2 } } },
      { team: true },
    );
    const alice = await env.startCore(TOKENS.alice);
    await eventually(() => phaseOf(alice) === 'connected', 15_000, 'link up');
    for (const name of ['supervisor', 'review', 'task-worker-1', 'task-worker-2']) {
      await eventually(() => alice.registry.get({ repo: REPO, name })?.status === 'active', 15_000, `${name} running`);
    }
    const parent = await call<TaskRecord>(alice, 'tasks.create', {
      title: 'ship the parser',
      body: 'write the parser\nadd tests for the parser\ndocument the parser',
      to: 'supervisor',
      constraints: { validateBy: 'type:review' },
    });
    const done = await eventually(async () => {
      const task = await call<TaskRecord | null>(alice, 'tasks.get', { id: parent.id });
      return task && (task.phase === 'complete' || task.phase === 'failed') && task;
    }, 30_000, 'the task ends');
    expect(done.phase).toBe('complete');
    // Validated before it completed: the reviewer's approval ended it.
    const phases = done.history.map((h) => h.phase);
    expect(phases.slice(-2)).toEqual(['validating', 'complete']);
    expect(done.history.at(-1)!.by).toBe('review');
    expect((done.result as { text: string }).text.split('\n')).toHaveLength(3);
    // The subtasks, mirrored from the team's bucket: under their parent, each done by a task worker.
    const subtasks = await eventually(async () => {
      const found = await call<TaskRecord[]>(alice, 'tasks.list', { parentId: parent.id });
      return found.length === 3 && found.every((t) => t.phase === 'complete') && found;
    }, 15_000, 'three completed subtasks under the task');
    expect(subtasks.map((t) => t.title).sort()).toEqual(['add tests for the parser', 'document the parser', 'write the parser']);
    for (const t of subtasks) expect(t.assignedTo).toMatch(/^task-worker-[12]$/);
    expect(new Set(subtasks.map((t) => t.assignedTo)).size).toBe(2);
  }, 90_000);
});
