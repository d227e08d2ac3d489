import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/core/coding/engine.js';
import { SessionStore } from '../../../src/core/coding/session-store.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDirsPerTest } from '../../helpers/temp-dir.js';
import type { Harness } from './fakes.js';
import { harness } from './fakes.js';

const kinds = (h: Harness): string[] => h.sent.map((m) => m.kind);

describe('task runner', () => {
  const temp = tempDirsPerTest('sy-coding-');

  it('turns a prompt into task.started and task.completed to the sender, with changed files and usage', async () => {
    const h = harness(temp());
    const id = h.deliver('alice', 'task.assigned', 'write a.txt');
    const turn = await eventually(() => h.engine.turns[0]);
    expect(turn.request).toMatchObject({ prompt: 'write a.txt', cwd: h.workspace });
    expect(turn.request.sessionId).toBeUndefined();
    turn.complete({ text: 'wrote it', turns: 2 });
    await eventually(() => h.of('task.completed')[0]);
    expect(h.of('task.started')[0]).toEqual({ to: 'alice', kind: 'task.started', body: { taskId: 'task-1', inReplyTo: id, cwd: h.workspace, branch: null, resumed: false } });
    expect(h.of('task.completed')[0]).toMatchObject({
      to: 'alice',
      body: { taskId: 'task-1', inReplyTo: id, text: 'wrote it', changedFiles: [], turns: 2, sessionId: 'session-1', usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.01 } },
    });
    expect(h.statuses).toEqual(['busy', 'idle']);
  });

  it('answers a body that is not a coding task with task.failed bad-request and runs nothing', () => {
    const h = harness(temp());
    const id = h.deliver('alice', 'text', { text: 'hi', extra: true });
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0]).toMatchObject({ to: 'alice', kind: 'task.failed', body: { inReplyTo: id, reason: 'bad-request' } });
    expect(String(h.sent[0]!.body.message)).toMatch(/prompt/);
    expect(h.engine.turns).toHaveLength(0);
  });

  it('ignores task reports sent to it (answers, not work)', () => {
    const h = harness(temp());
    for (const kind of ['task.started', 'task.progress', 'task.completed', 'task.failed'] as const) h.deliver('other', kind, 'not work');
    expect(h.sent).toEqual([]);
    expect(h.engine.turns).toHaveLength(0);
  });

  it('continues a named task in its session, also after the store is reopened (a restart)', async () => {
    const dir = temp();
    const h = harness(dir);
    h.deliver('alice', 'text', { prompt: 'one', taskId: 'feat-1' });
    (await eventually(() => h.engine.turns[0])).complete({ sessionId: 'sess-A' });
    await eventually(() => h.of('task.completed')[0]);
    h.deliver('alice', 'text', { prompt: 'two', taskId: 'feat-1' });
    const second = await eventually(() => h.engine.turns[1]);
    expect(second.request).toMatchObject({ prompt: 'two', sessionId: 'sess-A' });
    expect(h.of('task.started')[1]!.body).toMatchObject({ taskId: 'feat-1', resumed: true });
    second.complete();
    await eventually(() => h.of('task.completed')[1]);

    const again = harness(dir);
    expect(SessionStore.open(`${dir}/state`).get('feat-1')?.sessionId).toBe('sess-A');
    again.deliver('alice', 'text', { prompt: 'three', taskId: 'feat-1' });
    expect((await eventually(() => again.engine.turns[0])).request.sessionId).toBe('sess-A');
  });

  it('runs one turn per task at a time and at most maxConcurrentTasks tasks, busy while full', async () => {
    const h = harness(temp(), {}, 2);
    h.deliver('alice', 'text', { prompt: 'a1', taskId: 'a' });
    h.deliver('alice', 'text', { prompt: 'a2', taskId: 'a' });
    h.deliver('bob', 'text', { prompt: 'b1', taskId: 'b' });
    h.deliver('carol', 'text', { prompt: 'c1', taskId: 'c' });
    await eventually(() => h.engine.turns.length === 2);
    expect(h.engine.turns.map((t) => t.request.prompt)).toEqual(['a1', 'b1']);
    expect(h.runner.load()).toEqual({ current: 2, max: 2 });
    expect(h.statuses.at(-1)).toBe('busy');
    expect(h.runner.queued).toBe(2);

    h.engine.turns[0]!.complete();
    // a2 waited for a1 (same task); it now goes before c1, which came later.
    await eventually(() => h.engine.turns.length === 3);
    expect(h.engine.turns[2]!.request.prompt).toBe('a2');
    h.engine.turns[1]!.complete();
    await eventually(() => h.engine.turns.length === 4);
    expect(h.engine.turns[3]!.request.prompt).toBe('c1');
    h.engine.turns[2]!.complete();
    h.engine.turns[3]!.complete();
    await eventually(() => h.of('task.completed').length === 4);
    expect(h.statuses.at(-1)).toBe('idle');
  });

  it('task.cancel from the requester aborts the running turn and drops the waiting ones; a stranger cannot cancel', async () => {
    const h = harness(temp());
    const first = h.deliver('alice', 'text', { prompt: 'long', taskId: 'x' });
    const queued = h.deliver('alice', 'text', { prompt: 'later', taskId: 'x' });
    const turn = await eventually(() => h.engine.turns[0]);
    h.deliver('mallory', 'task.cancel', { taskId: 'x' });
    expect(turn.request.signal.aborted).toBe(false);
    expect(h.logs.some((l) => /ignored a task.cancel of x from mallory/.test(l))).toBe(true);

    h.deliver('alice', 'task.cancel', { taskId: 'x' });
    expect(turn.request.signal.reason).toBe('cancelled');
    await eventually(() => h.of('task.failed').length === 2);
    expect(h.of('task.failed').map((m) => [m.body.inReplyTo, m.body.reason])).toEqual([
      [queued, 'cancelled'],
      [first, 'cancelled'],
    ]);
    expect(String(h.of('task.failed')[1]!.body.message)).toBe('cancelled by alice');
    expect(h.engine.turns).toHaveLength(1);
  });

  it('fails a turn that runs past taskTimeoutMs with reason timeout', async () => {
    const h = harness(temp(), { taskTimeoutMs: 5_000 });
    h.deliver('alice', 'text', 'slow');
    const turn = await eventually(() => h.engine.turns[0]);
    h.clock.advance(4_999);
    expect(turn.request.signal.aborted).toBe(false);
    h.clock.advance(1);
    // Engines read the plain reason off the signal (abort-reason.ts).
    expect(turn.request.signal.reason).toBe('timeout');
    const failed = await eventually(() => h.of('task.failed')[0]);
    expect(failed.body).toMatchObject({ taskId: 'task-1', reason: 'timeout' });
    expect(String(failed.body.message)).toMatch(/5 s/);
    expect(kinds(h)).toEqual(['task.started', 'task.failed']);
  });

  it('passes an engine failure on with its typed reason and usage', async () => {
    const h = harness(temp());
    h.deliver('alice', 'text', 'hi');
    const usage = { inputTokens: 3, outputTokens: 0, cachedInputTokens: 0, costUsd: null };
    (await eventually(() => h.engine.turns[0])).error(new EngineError('rate-limited', 'HTTP 429: slow down', usage));
    expect((await eventually(() => h.of('task.failed')[0])).body).toMatchObject({ reason: 'rate-limited', message: 'HTTP 429: slow down', usage });
  });

  it('stopAll fails running and waiting turns as cancelled', async () => {
    const h = harness(temp());
    h.deliver('alice', 'text', { prompt: 'a', taskId: 'a' });
    h.deliver('alice', 'text', { prompt: 'b', taskId: 'b' });
    await eventually(() => h.engine.turns[0]);
    await h.runner.stopAll('shutdown');
    expect(h.of('task.failed').map((m) => [m.body.taskId, m.body.reason])).toEqual([
      ['b', 'cancelled'],
      ['a', 'cancelled'],
    ]);
  });
});
