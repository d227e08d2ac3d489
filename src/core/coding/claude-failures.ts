/**
 * Why a Claude Code turn failed, as a TaskFailureReason.
 *
 * Measured with CLI 2.1.328 (docs/coding-agents.md): an API failure ends the turn with
 * a synthetic assistant message whose `error` names the kind (`rate_limit`,
 * `authentication_failed`, `server_error`, …) and a result with `is_error: true` and
 * `api_error_status`, while `subtype` stays `success`; `query()` then throws a plain
 * Error ("Claude Code returned an error result: …"). So the result and the assistant's
 * `error` are read first, and the thrown error's text only when neither came.
 */
import type { SDKAssistantMessageError, SDKResultMessage } from '@anthropic-ai/claude-agent-sdk';
import type { TaskFailureReason, Usage } from '../../shared/coding.js';
import { EngineError } from './engine.js';

/** What the turn had seen when it failed. */
export interface FailureContext {
  result?: SDKResultMessage;
  /** The `error` of the last assistant message that had one. */
  assistantError?: SDKAssistantMessageError;
  /** The last lines the CLI wrote to stderr. */
  stderr?: string;
  usage?: Usage;
}

const AUTH_ERRORS: ReadonlySet<SDKAssistantMessageError> = new Set(['authentication_failed', 'oauth_org_not_allowed', 'account_on_hold', 'verification_required', 'billing_error', 'cloud_credential_error']);

/** The reason an API status and assistant error code stand for, or undefined when they say nothing. */
export function reasonOfApiError(status: number | null | undefined, code: SDKAssistantMessageError | undefined): TaskFailureReason | undefined {
  if (status === 401 || status === 403 || (code !== undefined && AUTH_ERRORS.has(code))) return 'not-authenticated';
  if (status === 429 || code === 'rate_limit') return 'rate-limited';
  if ((status !== null && status !== undefined) || code !== undefined) return 'model-error';
  return undefined;
}

/** The reason a thrown error's text stands for (the CLI's own wording, as measured). */
export function reasonOfMessage(message: string): TaskFailureReason {
  if (/native binary not found|ENOENT|spawn .* not found/i.test(message)) return 'cli-missing';
  if (/no conversation found with session id/i.test(message)) return 'bad-request';
  if (/failed to authenticate|invalid api key|not logged in|please run \/login|\b401\b|authentication/i.test(message)) return 'not-authenticated';
  if (/\b429\b|rate.?limit/i.test(message)) return 'rate-limited';
  if (/API Error|overloaded|\b5\d\d\b/i.test(message)) return 'model-error';
  return 'internal';
}

const ADVICE: Partial<Record<TaskFailureReason, string>> = {
  'not-authenticated': 'Sign in with `claude /login` or set ANTHROPIC_API_KEY for the agent.',
  'rate-limited': 'The model API is rate-limiting this account; try again later.',
  'bad-request': 'Claude Code keeps sessions per config folder (CLAUDE_CONFIG_DIR) and working folder; this one cannot be continued here, so start a new task.',
  'cli-missing': 'Install Claude Code (`npm install -g @anthropic-ai/claude-code`) or set the agent\'s "executable".',
};

function withAdvice(reason: TaskFailureReason, message: string): string {
  const advice = ADVICE[reason];
  return advice ? `${message} ${advice}` : message;
}

/** A result that ended the turn badly, as an EngineError; undefined for a good result. */
export function resultFailure(result: SDKResultMessage, context: FailureContext = {}): EngineError | undefined {
  if (result.subtype === 'success' && !result.is_error) return undefined;
  const usage = context.usage;
  if (result.subtype === 'success') {
    const reason = reasonOfApiError(result.api_error_status, context.assistantError) ?? reasonOfMessage(result.result);
    return new EngineError(reason, withAdvice(reason, result.result || 'Claude Code ended the turn with an error.'), usage);
  }
  switch (result.subtype) {
    case 'error_max_turns':
      return new EngineError('model-error', `Claude Code stopped after ${result.num_turns} turns (the agent's maxTurns).`, usage);
    case 'error_max_budget_usd':
      return new EngineError('model-error', 'Claude Code stopped at its cost budget.', usage);
    case 'error_max_structured_output_retries':
      return new EngineError('model-error', 'The model did not produce the structured output asked for.', usage);
    case 'error_during_execution': {
      const detail = result.errors.join('; ') || context.stderr || 'no detail';
      const reason = reasonOfApiError(undefined, context.assistantError) ?? reasonOfMessage(detail);
      return new EngineError(reason, withAdvice(reason, `Claude Code failed during the turn: ${detail}`), usage);
    }
  }
}

/**
 * Any error thrown while running a turn, as an EngineError: an EngineError passes
 * through; a failed result seen before the throw decides; else the error's own text.
 * The caller handles an aborted signal first (abort-reason.ts).
 */
export function thrownFailure(error: unknown, context: FailureContext = {}): EngineError {
  if (error instanceof EngineError) return error;
  if (context.result) {
    const failure = resultFailure(context.result, context);
    if (failure) return new EngineError(failure.reason, failure.message, failure.usage, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code?: unknown }).code : undefined;
  const reason = code === 'ENOENT' ? 'cli-missing' : (reasonOfApiError(undefined, context.assistantError) ?? reasonOfMessage(message));
  const detail = reason === 'internal' && context.stderr ? `${message} (stderr: ${context.stderr})` : message;
  return new EngineError(reason, withAdvice(reason, `Claude Code failed: ${detail}`), context.usage, { cause: error });
}
