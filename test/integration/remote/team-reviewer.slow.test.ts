/**
 * Item 8 of issue 11: the coding-agent runtime runs a team agent in the coordinator.
 *
 * A real coordinator (a real nats-server, the team runner) runs the shipped `reviewer`
 * (resources/team/reviewer.json: coding-agent.mjs, the real `claude` CLI against the
 * scripted model server) on the repo's checkout named by team.workspaces. On alice's
 * desktop a local agent (fixtures/delegator.mjs) asks the reviewer; the reviewer's
 * request to run a shell command (the manifest lets it read, not run) reaches alice's
 * Approvals over NATS, she allows it there, the command runs, the model sees its
 * output, and the review comes back to the asking agent across NATS.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import type { ApprovalView, ConversationEntry } from '../../../src/shared/coding-contract.js';
import { TaskCompletedBody } from '../../../src/shared/coding.js';
import { AgentManifest } from '../../../src/shared/manifest.js';
import type { ClaudeHome } from '../../helpers/claude-home.js';
import { makeClaudeHome } from '../../helpers/claude-home.js';
import { eventually } from '../../helpers/eventually.js';
import { startAnthropicModelServer } from '../../helpers/model-server/anthropic-messages.js';
import type { ScriptedModelServer } from '../../helpers/model-server/server.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import type { RemoteEnv } from './remote-harness.js';
import { REPO, TEAM_DIR, TOKENS, phaseOf, remoteEnv, teamDataDir } from './remote-harness.js';

const DELEGATOR = fileURLToPath(new URL('./fixtures/delegator.mjs', import.meta.url));

async function call<T>(core: Core, name: string, input?: unknown): Promise<T> {
  const result = await core.call(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.name}: ${result.error.message}`);
  return result.value as T;
}

/** A git checkout with code to review and a test script that prints what it checked. */
function makeCheckout(dir: string): void {
  execFileSync('git', ['init', '-q', dir]);
  writeFileSync(join(dir, 'add.js'), 'export const add = (a, b) => a + b;\n');
  writeFileSync(join(dir, 'test.js'), "console.log('add: 3 checks passed');\n");
  execFileSync('git', ['-C', dir, 'add', '.']);
  execFileSync('git', ['-C', dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'add']);
}

/**
 * The shipped reviewer as the coordinator's user manifest for the repo (it overrides
 * the shipped one by type): the same command, capabilities and policy, plus the
 * environment that points the CLI at the scripted model and the pinned CLI's path.
 */
function installReviewerManifest(env: RemoteEnv, home: ClaudeHome): AgentManifest {
  const shipped = AgentManifest.parse(JSON.parse(readFileSync(join(TEAM_DIR, 'reviewer.json'), 'utf8')));
  const dir = join(teamDataDir(env, 0), REPO, 'agents');
  mkdirSync(dir, { recursive: true });
  const manifest = {
    ...shipped,
    args: shipped.args.map((arg) => resolve(TEAM_DIR, arg)),
    env: home.env,
    healthCheck: { ...shipped.healthCheck, intervalMs: 1_000, timeoutMs: 10_000, failureThreshold: 20 },
    config: { ...shipped.config, executable: home.cli, progressBatchMs: 20 },
  };
  writeFileSync(join(dir, 'reviewer.json'), JSON.stringify(manifest));
  return shipped;
}

describe('the team reviewer (Claude Code in the coordinator)', () => {
  let env: RemoteEnv | undefined;
  let server: ScriptedModelServer | undefined;
  let home: ClaudeHome | undefined;
  let checkout: ReturnType<typeof makeTempDir> | undefined;
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      console.log(env?.logs.slice(-60).join('\n'));
      console.log(JSON.stringify(server?.requests.map((q) => ({ unscripted: q.unscripted, body: JSON.stringify(q.body).slice(-600) }))));
    }
    await env?.dispose();
    await server?.close();
    home?.remove();
    checkout?.remove();
    env = server = home = checkout = undefined;
  });

  it("answers a laptop's workspace agent across NATS; its approval request reaches the asking user's desktop and is answered there", async () => {
    server = await startAnthropicModelServer();
    home = makeClaudeHome(server.url);
    checkout = makeTempDir('sy-review-checkout-');
    makeCheckout(checkout.path);
    env = await remoteEnv();
    const shipped = installReviewerManifest(env, home);
    expect(shipped).toMatchObject({ capabilities: ['review'], config: { engine: 'claude', permissionMode: 'default', allowedTools: ['Read', 'Grep', 'Glob'] } });
    expect(shipped.config.allowedTools).not.toContain('Bash');

    await env.startCoordinator({ team: { manifestDir: TEAM_DIR, agents: ['reviewer'], workspaces: { [REPO]: checkout.path } } }, { team: true });
    const alice = await env.startCore(TOKENS.alice);
    await eventually(() => phaseOf(alice) === 'connected', 15_000, 'alice linked');
    alice.localAgents.install(AgentManifest.parse({ type: 'delegator', command: process.execPath, args: [DELEGATOR] }));
    await alice.localAgents.start('delegator', 'asker');
    const reviewer = await eventually(() => {
      const info = alice.registry.get({ repo: REPO, name: 'reviewer' });
      return info?.status === 'active' ? info : undefined;
    }, 20_000, 'the reviewer in alice mirror');
    expect(reviewer).toMatchObject({ type: 'reviewer', location: 'remote', ownership: 'repo', capabilities: ['review'] });

    const script = join(checkout.path, 'test.js');
    server.script(
      { text: 'I will run the tests first.', toolCalls: [{ name: 'Bash', id: 'toolu_run', input: { command: `node ${script}`, description: 'Run the tests' } }] },
      { text: 'Reviewed add.js: correct, and the tests pass.', usage: { inputTokens: 900, outputTokens: 20 } },
    );
    await call(alice, 'messages.send', { to: 'asker', body: { delegate: { to: 'reviewer', task: { prompt: 'review add.js', taskId: 'review-1' } } } });

    /** What the asking agent got back from the reviewer at the end of the task, if it ended. */
    type Got = { kind: string; from: string; body: unknown };
    const end = async (): Promise<Got | undefined> => {
      const entries = await call<ConversationEntry[]>(alice, 'conversation.get', { peer: 'asker' });
      return entries.map((e) => (e.body as { got?: Got }).got).find((g) => g?.kind === 'task.completed' || g?.kind === 'task.failed');
    };

    // The approval comes to alice's desktop (alice.user), not to her agent that asked; a
    // task that ended instead (no workspace, no CLI) fails here with what it said.
    const first = await eventually(async () => {
      const approval = (await call<ApprovalView[]>(alice, 'approvals.list', { state: 'pending' })).find((a) => a.from === 'reviewer');
      return approval ? { approval } : await end().then((got) => got && { got });
    }, 90_000, 'the reviewer approval on alice desktop');
    if (!('approval' in first)) throw new Error(`the review ended without asking: ${JSON.stringify(first.got)}`);
    const pending = first.approval;
    expect(pending).toMatchObject({ repo: REPO, taskId: 'review-1', tool: 'Bash', cwd: checkout.path });
    expect(pending.summary).toContain('node');
    expect(server.requests).toHaveLength(1);
    const answered = await call<ApprovalView>(alice, 'approvals.answer', { approvalId: pending.approvalId, allow: true });
    expect(answered.state).toBe('granted');

    // The reviewer went on: the command ran in the checkout and the model saw its output.
    await eventually(() => server!.requests.length >= 2, 60_000, 'the turn after the approval');
    expect(JSON.stringify(server.requests[1]!.body)).toContain('add: 3 checks passed');

    // The review reached the asking agent on alice's laptop, from the team's reviewer.
    const got = await eventually(end, 60_000, 'the review at the asking agent');
    expect(got).toMatchObject({ kind: 'task.completed', from: 'reviewer' });
    const done = TaskCompletedBody.parse(got.body);
    expect(done).toMatchObject({ taskId: 'review-1', text: 'Reviewed add.js: correct, and the tests pass.', changedFiles: [], branch: null, turns: 2 });
    expect(done.usage.costUsd).toBeGreaterThan(0);
    // The approval was asked of alice's person, not of her agent, and answered once, there.
    const kindsAtAsker = (await call<ConversationEntry[]>(alice, 'conversation.get', { peer: 'asker' })).map((e) => (e.body as { got?: Got }).got?.kind);
    expect(kindsAtAsker).toContain('task.started');
    expect(kindsAtAsker).not.toContain('approval.requested');
    expect((await call<ApprovalView[]>(alice, 'approvals.list', {})).filter((a) => a.from === 'reviewer').map((a) => a.state)).toEqual(['granted']);
  }, 240_000);
});
