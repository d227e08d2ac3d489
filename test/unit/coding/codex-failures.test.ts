import { describe, expect, it } from 'vitest';
import { abortReason, codexAborted, codexFailureReason, codexTurnFailure, codexUnexpected } from '../../../src/core/coding/codex-failures.js';
import { codexThreadOptions, codexUsage } from '../../../src/core/coding/codex-engine.js';
import { EngineError } from '../../../src/core/coding/engine.js';
import { CodingAgentConfig } from '../../../src/shared/coding.js';

describe('codexFailureReason', () => {
  it.each([
    // What Codex 0.169 says for each scripted status (measured).
    ['unexpected status 401 Unauthorized: bad key, url: http://127.0.0.1:1/v1/responses', 'not-authenticated'],
    ['Missing environment variable: `OPENAI_API_KEY`.', 'not-authenticated'],
    ['exceeded retry limit, last status: 429 Too Many Requests', 'rate-limited'],
    ["You've hit your usage limit.", 'rate-limited'],
    ['We’re currently experiencing high demand, which may cause temporary errors.', 'model-error'],
    ['stream disconnected before completion', 'model-error'],
  ] as const)('%s → %s', (message, reason) => {
    expect(codexFailureReason(message)).toBe(reason);
  });

  it('tells the user what to do when not authenticated', () => {
    const error = codexTurnFailure('unexpected status 401 Unauthorized: bad key');
    expect(error).toBeInstanceOf(EngineError);
    expect(error.reason).toBe('not-authenticated');
    expect(error.message).toContain('codex login');
  });
});

describe('abortReason', () => {
  const aborted = (reason?: unknown): AbortSignal => {
    const controller = new AbortController();
    controller.abort(reason);
    return controller.signal;
  };

  it("reads the runtime's reason, and a TimeoutError as a timeout", () => {
    expect(abortReason(aborted('timeout'))).toBe('timeout');
    expect(abortReason(aborted('cancelled'))).toBe('cancelled');
    expect(abortReason(aborted())).toBe('cancelled');
    expect(abortReason(aborted(new DOMException('late', 'TimeoutError')))).toBe('timeout');
    expect(codexAborted(aborted('timeout')).reason).toBe('timeout');
  });
});

describe('codexUnexpected', () => {
  it('says cli-missing when the CLI cannot be started, internal otherwise', () => {
    const enoent = Object.assign(new Error('spawn /x/codex ENOENT'), { code: 'ENOENT' });
    expect(codexUnexpected(enoent).reason).toBe('cli-missing');
    expect(codexUnexpected(new Error('Codex Exec exited with signal SIGSEGV')).reason).toBe('internal');
    const typed = new EngineError('timeout', 'late');
    expect(codexUnexpected(typed)).toBe(typed);
  });
});

describe('codexUsage and codexThreadOptions', () => {
  it('maps token counts and never invents a cost', () => {
    expect(codexUsage({ input_tokens: 12, cached_input_tokens: 4, cache_write_input_tokens: 0, output_tokens: 3, reasoning_output_tokens: 1 })).toEqual({
      inputTokens: 12,
      outputTokens: 3,
      cachedInputTokens: 4,
      costUsd: null,
    });
    expect(codexUsage(null)).toEqual({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: null });
  });

  it("passes the manifest's sandbox, approval policy and model to the thread", () => {
    const config = CodingAgentConfig.parse({ engine: 'codex', model: 'gpt-5', codex: { sandboxMode: 'read-only', approvalPolicy: 'on-request' } });
    expect(codexThreadOptions(config, '/repo')).toEqual({
      workingDirectory: '/repo',
      skipGitRepoCheck: true,
      sandboxMode: 'read-only',
      approvalPolicy: 'on-request',
      model: 'gpt-5',
    });
    expect(codexThreadOptions(CodingAgentConfig.parse({ engine: 'codex' }), '/repo')).not.toHaveProperty('model');
  });
});

describe('codexUnexpected message', () => {
  it("keeps the CLI's reason and drops its start-up line", () => {
    const error = codexUnexpected(new Error('Codex Exec exited with code 1: Reading prompt from stdin...\nError: thread/resume failed: no rollout found for thread id abc\n'));
    expect(error.reason).toBe('internal');
    expect(error.message).toBe('Codex: the CLI exited (code 1): Error: thread/resume failed: no rollout found for thread id abc');
  });
});
