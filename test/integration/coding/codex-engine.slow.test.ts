/**
 * The Codex driver's sessions, streaming, cancels and failures against the real Codex CLI
 * and a scripted model server. Each case starts the CLI (2–5 s here), hence `.slow`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodexSettings } from '../../../src/shared/coding.js';
import { eventually } from '../../helpers/eventually.js';
import { engineFailure, runTurn, useCodexRig } from '../../helpers/codex-turn.js';
import { codexRunCommand, codexWriteFile } from '../../helpers/model-server/openai-responses.js';
import { pidsWithEnv } from '../../helpers/process-env.js';

describe('Codex engine sessions and failures (real CLI, scripted model)', () => {
  const rig = useCodexRig();

  it('resumes the thread by its id: the model receives the earlier turns', async () => {
    const cwd = rig.gitRepo();
    rig.server.script({ text: 'Noted: PINEAPPLE.' }, { text: 'The word was PINEAPPLE.' });
    const first = await runTurn(rig.engine(), { cwd, prompt: 'Remember the word PINEAPPLE.' }).outcome;

    // A new driver, as after a restart: only the thread id and CODEX_HOME carry over.
    const second = runTurn(rig.engine(), { cwd, prompt: 'Which word?', sessionId: first.sessionId });
    const outcome = await second.outcome;

    expect(outcome.sessionId).toBe(first.sessionId);
    expect(outcome.text).toBe('The word was PINEAPPLE.');
    const resent = JSON.stringify(rig.server.requests[1]?.body);
    expect(resent).toContain('Remember the word PINEAPPLE.');
    expect(resent).toContain('Noted: PINEAPPLE.');
    expect(resent).toContain('Which word?');
  });

  it('sends each assistant message as a text event while the turn is still running', async () => {
    const cwd = rig.gitRepo();
    rig.server.script({ text: 'Looking at the tests first.', toolCalls: [codexRunCommand('true')] }, { hang: true });
    const controller = new AbortController();
    const run = runTurn(rig.engine(), { cwd, signal: controller.signal });

    await eventually(() => run.events.some((event) => event.type === 'text' && event.text === 'Looking at the tests first.'), 30_000, 'the first text event');
    expect(run.settled()).toBe(false);
    controller.abort('cancelled');
    expect((await engineFailure(run.outcome)).reason).toBe('cancelled');
  });

  it('reports a failing command as a tool result that is not ok', async () => {
    const cwd = rig.gitRepo();
    rig.server.script({ toolCalls: [codexRunCommand('echo checking && exit 3')] }, { text: 'The check failed.' });
    const run = runTurn(rig.engine(), { cwd });
    expect((await run.outcome).text).toBe('The check failed.');
    expect(run.events.filter((event) => event.type === 'tool' || event.type === 'tool-result')).toEqual([
      { type: 'tool', id: expect.any(String), tool: 'exec_command', summary: 'Run: echo checking && exit 3' },
      { type: 'tool-result', id: expect.any(String), ok: false, summary: 'exit 3: checking' },
    ]);
  });

  it.each(['cancelled', 'timeout'] as const)('stops the CLI when the turn is aborted mid-turn with %s', async (reason) => {
    const cwd = rig.gitRepo();
    rig.server.script({ hang: true });
    const controller = new AbortController();
    const asked = new Promise<void>((resolve) => rig.server.onRequest(() => resolve()));
    const run = runTurn(rig.engine(), { cwd, signal: controller.signal });
    await asked;
    expect(pidsWithEnv('CODEX_HOME', rig.home.path).length).toBeGreaterThan(0);

    controller.abort(reason);
    expect((await engineFailure(run.outcome)).reason).toBe(reason);
    await eventually(() => pidsWithEnv('CODEX_HOME', rig.home.path).length === 0, 10_000, 'no codex process left');
  });

  it.each([
    { status: 500 as const, reason: 'model-error' },
    { status: 429 as const, reason: 'rate-limited' },
    { status: 401 as const, reason: 'not-authenticated' },
  ])('fails with $reason when the model answers $status', async ({ status, reason }) => {
    const cwd = rig.gitRepo();
    rig.server.script({ status, message: `scripted ${status}` });
    const run = runTurn(rig.engine(), { cwd });
    const error = await engineFailure(run.outcome);
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(/^Codex: /);
    // Retries are off in the test's CODEX_HOME: one request, no more.
    expect(rig.server.requests).toHaveLength(1);
    expect(run.sessions).toHaveLength(1);
  });

  /** What the model was told about its tool calls in the request after them. */
  function toolOutputs(requestIndex: number): string[] {
    const body = rig.server.requests[requestIndex]?.body as { input?: Array<{ type: string; output?: unknown }> } | undefined;
    return (body?.input ?? []).filter((item) => item.type === 'function_call_output').map((item) => String(item.output));
  }

  // Every policy a manifest may set must start the pinned CLI; none routes an approval:
  // `codex exec` refuses what would need one, and the model is told.
  it.each(CodexSettings.shape.approvalPolicy.unwrap().options)('with approvalPolicy %s, refuses a write the read-only sandbox blocks, asking nobody', async (approvalPolicy) => {
    const cwd = rig.gitRepo();
    rig.server.script({ toolCalls: [codexWriteFile('blocked.txt', 'no\n')] }, { text: 'I could not write it.' });
    const run = runTurn(rig.engine({ codex: { sandboxMode: 'read-only', approvalPolicy } }), { cwd });
    expect((await run.outcome).text).toBe('I could not write it.');
    expect(existsSync(join(cwd, 'blocked.txt'))).toBe(false);
    expect(toolOutputs(1)).toEqual([expect.stringMatching(/rejected/)]);
    expect(run.approvals).toEqual([]);
  });
});
