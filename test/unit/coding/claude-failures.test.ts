/**
 * Claude Code failures as TaskFailureReasons: from what the real CLI (2.1.328) reported
 * (fixtures/claude-rate-limited.json) and from the texts it throws.
 */
import { readFileSync } from 'node:fs';
import type { SDKMessage, SDKResultMessage } from '@anthropic-ai/claude-agent-sdk';
import { describe, expect, it } from 'vitest';
import { reasonOfApiError, reasonOfMessage, resultFailure, thrownFailure } from '../../../src/core/coding/claude-failures.js';
import { abortReasonOf, abortedTurnError, TURN_ABORT } from '../../../src/core/coding/abort-reason.js';
import { EngineError } from '../../../src/core/coding/engine.js';

const recorded = JSON.parse(readFileSync(new URL('./fixtures/claude-rate-limited.json', import.meta.url), 'utf8')) as SDKMessage[];
const result = recorded.find((m): m is SDKResultMessage => m.type === 'result')!;
const assistant = recorded.find((m) => m.type === 'assistant');

describe('Claude Code failures', () => {
  it('a failed API call is a "success" result with is_error and the status; it decides the reason', () => {
    expect(result).toMatchObject({ subtype: 'success', is_error: true, api_error_status: 429 });
    expect(assistant).toMatchObject({ error: 'rate_limit' });
    const failure = resultFailure(result);
    expect(failure).toBeInstanceOf(EngineError);
    expect(failure?.reason).toBe('rate-limited');
    expect(failure?.message).toContain('slow down');
  });

  it('query() then throws a plain Error; the result seen before it still decides', () => {
    const thrown = new Error('Claude Code returned an error result: API Error: Request rejected (429) · slow down');
    const failure = thrownFailure(thrown, { result });
    expect(failure.reason).toBe('rate-limited');
    expect(failure.cause).toBe(thrown);
  });

  it('a good result is no failure', () => {
    expect(resultFailure({ ...result, is_error: false, api_error_status: null } as SDKResultMessage)).toBeUndefined();
  });

  it('stopping at maxTurns is a model error that says so', () => {
    const maxTurns = { ...result, subtype: 'error_max_turns', errors: [], num_turns: 7 } as unknown as SDKResultMessage;
    expect(resultFailure(maxTurns)).toMatchObject({ reason: 'model-error', message: expect.stringContaining('7 turns') as string });
  });

  it.each([
    [401, undefined, 'not-authenticated'],
    [403, undefined, 'not-authenticated'],
    [undefined, 'authentication_failed', 'not-authenticated'],
    [undefined, 'billing_error', 'not-authenticated'],
    [429, 'rate_limit', 'rate-limited'],
    [500, 'server_error', 'model-error'],
    [529, 'server_error', 'model-error'],
    [400, 'invalid_request', 'model-error'],
    [null, undefined, undefined],
  ] as const)('status %s, error %s → %s', (status, code, reason) => {
    expect(reasonOfApiError(status, code)).toBe(reason);
  });

  it.each([
    ['Claude Code native binary not found at /x/claude. Please ensure Claude Code is installed', 'cli-missing'],
    ['Claude Code returned an error result: Failed to authenticate. API Error: 401 bad key', 'not-authenticated'],
    ['Invalid API key · Please run /login', 'not-authenticated'],
    ['Claude Code returned an error result: API Error: Request rejected (429) · slow down', 'rate-limited'],
    ['Claude Code returned an error result: API Error: 500 boom. This is a server-side issue', 'model-error'],
    ['Claude Code returned an error result: No conversation found with session ID: 0b5e5c8e-1111-4222-8333-944444444444', 'bad-request'],
    ['Claude Code process exited with code 1', 'internal'],
  ] as const)('thrown "%s" → %s', (message, reason) => {
    expect(reasonOfMessage(message)).toBe(reason);
    expect(thrownFailure(new Error(message)).reason).toBe(reason);
  });

  it('a spawn ENOENT is cli-missing with what to do; an EngineError passes through; a non-Error is typed too', () => {
    const enoent = Object.assign(new Error('spawn claude'), { code: 'ENOENT' });
    expect(thrownFailure(enoent)).toMatchObject({ reason: 'cli-missing', message: expect.stringContaining('npm install -g @anthropic-ai/claude-code') as string });
    const own = new EngineError('bad-request', 'no');
    expect(thrownFailure(own)).toBe(own);
    expect(thrownFailure('weird')).toMatchObject({ name: 'EngineError', reason: 'internal' });
  });

  it('an internal failure quotes the CLI\'s stderr tail', () => {
    expect(thrownFailure(new Error('exited with code 3'), { stderr: 'config file invalid' }).message).toContain('config file invalid');
  });

  it('an aborted signal is a timeout only with the reason "timeout"', () => {
    const abort = (reason?: unknown): AbortSignal => {
      const controller = new AbortController();
      controller.abort(reason);
      return controller.signal;
    };
    expect(abortReasonOf(abort(TURN_ABORT.timeout))).toBe('timeout');
    expect(abortReasonOf(abort(TURN_ABORT.cancelled))).toBe('cancelled');
    expect(abortReasonOf(abort())).toBe('cancelled');
    expect(abortedTurnError(abort('timeout'))).toMatchObject({ reason: 'timeout', message: expect.stringContaining('taskTimeoutMs') as string });
  });
});
