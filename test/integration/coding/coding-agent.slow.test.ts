/**
 * The coding-agent runtime end to end on one machine: the real supervisor runs the real
 * runtime process, which runs the real `claude` CLI against the scripted model server.
 * The test is a gateway agent: it sends tasks, sees what a sender sees, and answers the
 * The approvals go to the desktop's person (`user`, SWITCHYARD_APPROVER), who answers them
 * from the Approvals inbox's calls, as a user at the desktop would.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalView } from '../../../src/shared/coding-contract.js';
import { TaskFailedBody, TaskProgressBody, TaskStartedBody } from '../../../src/shared/coding.js';
import { consistently, eventually } from '../../helpers/eventually.js';
import { cliProcesses } from './process-scan.js';
import type { Rig } from './runtime-rig.js';
import { AGENT, startRig } from './runtime-rig.js';

describe('coding agent (supervised runtime, real claude CLI, scripted model)', () => {
  let rig: Rig | undefined;
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && rig) {
      console.log(rig.t.core.localAgents.logs(AGENT, 200).map((e) => `${e.source} ${e.level} ${e.text}`).join('\n'));
      console.log(JSON.stringify(rig.client.received.flatMap((l) => (l.type === 'message' ? [[l.message.kind, l.message.body]] : []))));
      console.log(JSON.stringify(rig.server.requests.map((q) => q.unscripted)));
      // What the gateway answered besides messages (a refused send says why here), and
      // every trace with its hops: where a message that never arrived stopped.
      console.log(JSON.stringify(rig.client.received.filter((l) => l.type !== 'message')));
      for (const item of rig.t.core.routing.traces.query({}).items) {
        const hops = rig.t.core.routing.traces.get(item.messageId)?.hops.map((hop) => `${hop.where}:${hop.event} ${hop.detail}`);
        console.log(item.messageId, item.kind, item.from, '→', item.to, item.status, JSON.stringify(hops));
      }
    }
    await rig?.close();
    rig = undefined;
  });

  /** The next approval request in the person's inbox (the agent's sender never sees it). */
  async function pendingApproval(r: Rig): Promise<ApprovalView> {
    return eventually(async () => {
      const result = await r.t.core.call('approvals.list', { state: 'pending' });
      return result.ok && (result.value as ApprovalView[]).find((a) => a.from === AGENT);
    }, 45_000, "an approval request in the person's inbox");
  }

  /** Answers the next approval request from the person's inbox. */
  async function answerApproval(r: Rig, kind: 'approval.granted' | 'approval.denied', extra: { reason?: string; always?: boolean } = {}): Promise<ApprovalView> {
    const asked = await pendingApproval(r);
    const answered = await r.t.core.call('approvals.answer', { approvalId: asked.approvalId, allow: kind === 'approval.granted', ...extra });
    expect(answered).toMatchObject({ ok: true });
    expect(r.from('approval.requested')).toEqual([]);
    return asked;
  }

  it('a task in its own worktree streams started, progress and completed to its sender, writes the file on sy/<agent>/<task> after approval, with tokens and cost; a follow-up continues the session', async () => {
    rig = await startRig({ isolation: 'worktree' });
    const r = rig;
    // Where gitTaskFolders puts a task's worktree (docs/coding-agents.md).
    const worktree = join(r.repo, '.git', 'sy-worktrees', AGENT, 'feat-1');
    const file = join(worktree, 'hello.txt');
    r.server.script(
      { text: 'I will write it.', toolCalls: [{ name: 'Write', id: 'toolu_1', input: { file_path: file, content: 'hi\n' } }], usage: { inputTokens: 1000, outputTokens: 40 } },
      { text: 'Wrote hello.txt.', usage: { inputTokens: 1200, outputTokens: 8 } },
    );
    const first = r.send({ prompt: 'write hello.txt', taskId: 'feat-1' });
    const approval = await answerApproval(r, 'approval.granted');
    expect(approval).toMatchObject({ taskId: 'feat-1', tool: 'Write', summary: 'Write hello.txt', cwd: worktree });
    const done = await r.completed(first);

    expect(readFileSync(file, 'utf8')).toBe('hi\n');
    expect(existsSync(join(r.repo, 'hello.txt'))).toBe(false);
    const branch = `sy/${AGENT}/feat-1`;
    expect(TaskStartedBody.parse(r.from('task.started', first)[0]!.body)).toEqual({ taskId: 'feat-1', inReplyTo: first, cwd: worktree, branch, resumed: false });
    const events = r.from('task.progress', first).flatMap((m) => TaskProgressBody.parse(m.body).events);
    expect(events).toContainEqual({ type: 'tool', id: 'toolu_1', tool: 'Write', summary: 'Write hello.txt' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'tool-result', id: 'toolu_1', ok: true }));
    expect(r.from('task.progress', first).map((m) => TaskProgressBody.parse(m.body).seq)).toEqual(r.from('task.progress', first).map((_, i) => i + 1));
    expect(done).toMatchObject({ taskId: 'feat-1', text: 'Wrote hello.txt.', changedFiles: ['hello.txt'], branch, worktree, turns: 2, usage: { inputTokens: 2200, outputTokens: 48 } });
    expect(done.usage.costUsd).toBeGreaterThan(0);
    // Every message went to the sender, and the order a reader relies on held.
    const kinds = r.client.received.flatMap((l) => (l.type === 'message' ? [l.message.kind] : []));
    expect(kinds[0]).toBe('task.started');
    expect(kinds.at(-1)).toBe('task.completed');

    r.server.script({ text: 'It says hi.', usage: { inputTokens: 1500, outputTokens: 5 } });
    const second = r.send({ prompt: 'what does it say?', taskId: 'feat-1' });
    const again = await r.completed(second);
    expect(r.from('task.started', second)[0]!.body).toMatchObject({ cwd: worktree, branch, resumed: true });
    expect(again).toMatchObject({ sessionId: done.sessionId, changedFiles: ['hello.txt'], branch });
    const history = JSON.stringify(r.server.requests.at(-1)?.body);
    expect(history).toContain('write hello.txt');
    expect(history).toContain('Wrote hello.txt.');
    expect(history).toContain('what does it say?');

    // The session lives in the agent's state folder, private to the user.
    const state = join(r.t.dataDir, 'agent-state', 'default', AGENT);
    expect(statSync(state).mode & 0o777).toBe(0o700);
    expect(statSync(join(state, 'sessions.json')).mode & 0o777).toBe(0o600);
  });

  it('after kill -9 of the runtime and the supervisor\'s restart, a follow-up still continues the session', async () => {
    rig = await startRig();
    const r = rig;
    r.server.script({ text: 'Noted: kiwi.' });
    const first = r.send({ prompt: 'remember the word kiwi', taskId: 'mem-1' });
    const done = await r.completed(first);

    const pid = r.supervision().pid!;
    process.kill(pid, 'SIGKILL');
    await eventually(() => r.supervision().state === 'running' && r.supervision().pid !== pid && r.supervision().restarts === 1, 30_000, 'a restart');
    await eventually(() => r.t.core.localAgents.logs(AGENT, 100).filter((e) => /agent ready/.test(e.text)).length === 2, 30_000, 'the restarted runtime');

    r.server.script({ text: 'The word was kiwi.' });
    const second = r.send({ prompt: 'which word?', taskId: 'mem-1' });
    const again = await r.completed(second);
    expect(again.sessionId).toBe(done.sessionId);
    expect(r.from('task.started', second)[0]!.body).toMatchObject({ resumed: true });
    const history = JSON.stringify(r.server.requests.at(-1)?.body);
    expect(history).toContain('remember the word kiwi');
    expect(history).toContain('Noted: kiwi.');
  });

  it('a denied approval leaves the file unwritten and the agent tells the model and the sender', async () => {
    rig = await startRig();
    const r = rig;
    const file = join(r.repo, 'secret.txt');
    r.server.script(
      { text: 'Writing.', toolCalls: [{ name: 'Write', id: 'toolu_d', input: { file_path: file, content: 'x' } }] },
      { text: 'Understood, I did not write secret.txt.' },
    );
    const id = r.send('write secret.txt');
    await answerApproval(r, 'approval.denied', { reason: 'Not this file.' });
    const done = await r.completed(id);
    expect(existsSync(file)).toBe(false);
    expect(done.text).toBe('Understood, I did not write secret.txt.');
    expect(done.changedFiles).toEqual([]);
    const events = r.from('task.progress', id).flatMap((m) => TaskProgressBody.parse(m.body).events);
    expect(events).toContainEqual({ type: 'tool-result', id: 'toolu_d', ok: false, summary: 'Not this file.' });
    expect(JSON.stringify(r.server.requests[1]?.body)).toContain('Not this file.');
  });

  it('an unanswered approval is denied at approvalTimeoutMs, and the file stays unwritten', async () => {
    rig = await startRig({ approvalTimeoutMs: 800 });
    const r = rig;
    const file = join(r.repo, 'late.txt');
    r.server.script({ toolCalls: [{ name: 'Write', id: 'toolu_t', input: { file_path: file, content: 'x' } }] }, { text: 'Nobody answered, so I did not write it.' });
    const id = r.send('write late.txt');
    const asked = await pendingApproval(r);
    expect(asked.expiresAt).toBeGreaterThan(Date.now() - 800);
    const done = await r.completed(id);
    expect(existsSync(file)).toBe(false);
    expect(done.text).toBe('Nobody answered, so I did not write it.');
    expect(JSON.stringify(r.server.requests[1]?.body)).toContain('no answer within 800 ms');
  });

  it('task.cancel stops the running turn: task.failed cancelled, and no CLI is left running', async () => {
    rig = await startRig();
    const r = rig;
    r.server.script({ hang: true });
    const id = r.send({ prompt: 'think forever', taskId: 'long-1' });
    await eventually(() => r.server.requests.length === 1, 45_000, 'the CLI to call the model');
    // The runtime itself runs with the same CLAUDE_CONFIG_DIR: count what it started.
    const runtime = r.supervision().pid;
    const clis = (): number[] => cliProcesses(r.home.configDir).filter((pid) => pid !== runtime);
    expect(clis().length).toBeGreaterThan(0);
    r.client.send({ type: 'send', to: AGENT, kind: 'task.cancel', body: { taskId: 'long-1' } });
    const failed = TaskFailedBody.parse((await r.next('task.failed', id, 15_000)).body);
    expect(failed).toMatchObject({ taskId: 'long-1', reason: 'cancelled', message: 'cancelled by tester' });
    await eventually(() => clis().length === 0, 10_000, 'the CLI to exit');
    expect(r.supervision()).toMatchObject({ state: 'running', restarts: 0 });
  });

  it('a missing CLI answers every task with task.failed cli-missing, and the agent stays up without restarts', async () => {
    rig = await startRig({ executable: '/no/such/claude' });
    const r = rig;
    const pid = r.supervision().pid;
    const id = r.send('hello');
    const failed = TaskFailedBody.parse((await r.next('task.failed', id)).body);
    expect(failed.reason).toBe('cli-missing');
    expect(failed.message).toContain('/no/such/claude');
    expect(failed.message).toContain('npm install -g @anthropic-ai/claude-code');
    // Three heartbeat intervals: a process that exited would have been restarted by now.
    await consistently(() => r.supervision().state === 'running' && r.supervision().pid === pid && r.supervision().restarts === 0, 1_500, 'the agent running, unrestarted');
    expect(r.server.requests).toEqual([]);
  });
});
