/**
 * The Codex driver against the real Codex CLI (the pinned one in .agent-clis) and a
 * scripted model server on 127.0.0.1, in a real git repository: the CLI really runs the
 * scripted tool calls, so a "write this file" turn leaves the file on disk. Sessions,
 * cancels and model failures: codex-engine.slow.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodingAgentConfig, TranscriptEvent } from '../../../src/shared/coding.js';
import { createCodexEngine } from '../../../src/core/coding/codex-engine.js';
import { engineFailure, runTurn, useCodexRig } from '../../helpers/codex-turn.js';
import { codexWriteFile } from '../../helpers/model-server/openai-responses.js';

describe('Codex engine (real CLI, scripted model)', () => {
  const rig = useCodexRig();

  it('writes a scripted file in the folder and reports the text, tokens, turns and session', async () => {
    const cwd = rig.gitRepo();
    rig.server.script(
      { text: 'I will write hello.txt.', toolCalls: [codexWriteFile('hello.txt', 'hello world\n')], usage: { inputTokens: 100, outputTokens: 20 } },
      { text: 'Wrote hello.txt.', usage: { inputTokens: 150, outputTokens: 7 } },
    );
    const run = runTurn(rig.engine(), { cwd, prompt: 'write hello.txt' });
    const outcome = await run.outcome;

    expect(readFileSync(join(cwd, 'hello.txt'), 'utf8')).toBe('hello world\n');
    expect(outcome.text).toBe('Wrote hello.txt.');
    expect(outcome.usage).toEqual({ inputTokens: 250, outputTokens: 27, cachedInputTokens: 0, costUsd: null });
    expect(outcome.turns).toBe(2);
    expect(run.sessions).toEqual([outcome.sessionId]);
    expect(rig.server.requests).toHaveLength(2);

    const tool = run.events.find((event) => event.type === 'tool');
    expect(tool).toMatchObject({ tool: 'apply_patch', summary: 'Add hello.txt' });
    expect(run.events).toContainEqual({ type: 'tool-result', id: tool?.type === 'tool' ? tool.id : '?', ok: true, summary: 'Add hello.txt' });
    const texts = run.events.filter((event) => event.type === 'text').map((event) => event.text);
    expect(texts).toEqual(['I will write hello.txt.', 'Wrote hello.txt.']);
    for (const event of run.events) expect(TranscriptEvent.parse(event)).toEqual(event);
    // Codex decides approvals inside the CLI: nothing is routed.
    expect(run.approvals).toEqual([]);
  });

  it('fails with cli-missing, before any request, when the executable does not exist', async () => {
    const cwd = rig.gitRepo();
    const missingPath = join(cwd, 'no-such-codex');
    const error = await engineFailure(runTurn(rig.engine({ executable: missingPath }), { cwd }).outcome);
    expect(error.reason).toBe('cli-missing');
    expect(error.message).toContain(missingPath);

    const notOnPath = createCodexEngine(CodingAgentConfig.parse({ engine: 'codex' }), { ...rig.home.env, PATH: cwd });
    const fromPath = await engineFailure(runTurn(notOnPath, { cwd }).outcome);
    expect(fromPath.reason).toBe('cli-missing');
    expect(fromPath.message).toContain('npm install -g @openai/codex');
    expect(existsSync(join(rig.home.path, 'sessions'))).toBe(false);
    expect(rig.server.requests).toHaveLength(0);
  });
});
