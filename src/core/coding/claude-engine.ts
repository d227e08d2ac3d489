/**
 * The Claude Code engine: runs one turn of a session through `@anthropic-ai/claude-agent-sdk`
 * (`query()`), with the user's own `claude` CLI (executables.ts), and maps what the SDK
 * types to the runtime's terms: transcript events (claude-transcript.ts), approvals
 * (`canUseTool` → `requestApproval`), usage (claude-usage.ts) and typed failures
 * (claude-failures.ts). No SDK exception leaves `runTurn` untyped.
 *
 * Cancel and timeout: on the turn's signal the driver asks the CLI to interrupt the
 * turn and then aborts the query. Measured with CLI 2.1.328: an abort alone closes the
 * CLI's stdin and waits the SDK's ~2 s grace before SIGTERM, because a CLI waiting on the
 * model does not exit on EOF; interrupt first, and the CLI is gone in ~0.3 s. The turn
 * ends only once its CLI has exited (claude-process.ts).
 */
import type { CanUseTool, Options, PermissionResult, PermissionUpdate, Query, SDKAssistantMessageError, SDKMessage, SDKResultMessage } from '@anthropic-ai/claude-agent-sdk';
import { query } from '@anthropic-ai/claude-agent-sdk';
import type { CodingAgentConfig } from '../../shared/coding.js';
import { abortedTurnError } from './abort-reason.js';
import { resultFailure, thrownFailure } from './claude-failures.js';
import { toolSummary } from './claude-tool-summary.js';
import { ClaudeProcess } from './claude-process.js';
import { transcriptEvents } from './claude-transcript.js';
import { turnUsage } from './claude-usage.js';
import type { EngineDriver, EngineFactory, TurnOutcome, TurnRequest } from './engine.js';
import { EngineError } from './engine.js';
import { resolveExecutable } from './executables.js';

/** How much of the CLI's stderr a failure message may quote. */
const STDERR_TAIL = 2_000;

/** The deny message the model reads when the approval itself failed (not a person's "no"). */
const APPROVAL_FAILED = 'The approval request could not be delivered, so this tool use was not allowed.';

function approvalBridge(request: TurnRequest): CanUseTool {
  return async (toolName, input): Promise<PermissionResult> => {
    try {
      const decision = await request.requestApproval({ tool: toolName, summary: toolSummary(toolName, input, request.cwd), input });
      if (!decision.allow) return { behavior: 'deny', message: decision.reason };
      // "Always": the CLI stops asking for this tool for the rest of its session; the
      // runtime keeps the answer for the agent's later turns.
      const always: PermissionUpdate[] = decision.always ? [{ type: 'addRules', rules: [{ toolName }], behavior: 'allow', destination: 'session' }] : [];
      return { behavior: 'allow', updatedInput: input, ...(always.length > 0 ? { updatedPermissions: always } : {}) };
    } catch {
      return { behavior: 'deny', message: APPROVAL_FAILED };
    }
  };
}

/** The SDK options for one turn: the agent's policy, its CLI and env, the session to resume. */
export function claudeOptions(
  config: CodingAgentConfig,
  env: Record<string, string | undefined>,
  executable: string,
  request: TurnRequest,
  parts: { abortController: AbortController; process: ClaudeProcess },
): Options {
  return {
    cwd: request.cwd,
    pathToClaudeCodeExecutable: executable,
    env: { ...env, CLAUDE_AGENT_SDK_CLIENT_APP: 'switchyard' },
    ...(request.sessionId !== undefined ? { resume: request.sessionId } : {}),
    ...(config.model !== undefined ? { model: config.model } : {}),
    permissionMode: config.permissionMode,
    ...(config.permissionMode === 'bypassPermissions' ? { allowDangerouslySkipPermissions: true } : {}),
    allowedTools: config.allowedTools,
    disallowedTools: config.disallowedTools,
    ...(config.maxTurns !== undefined ? { maxTurns: config.maxTurns } : {}),
    includePartialMessages: true,
    canUseTool: approvalBridge(request),
    abortController: parts.abortController,
    spawnClaudeCodeProcess: parts.process.spawn,
  };
}

/** What one turn has seen so far. */
class TurnState {
  sessionId: string | undefined;
  result: SDKResultMessage | undefined;
  assistantError: SDKAssistantMessageError | undefined;
  stderr = '';
  private reported = false;

  constructor(
    private readonly request: TurnRequest,
    readonly previousTotalUsd: number | undefined,
  ) {
    this.sessionId = request.sessionId;
  }

  take(message: SDKMessage): void {
    if (message.type === 'system' && message.subtype === 'init') this.setSession(message.session_id);
    else if (message.type === 'assistant' && message.error !== undefined) this.assistantError = message.error;
    else if (message.type === 'result') {
      this.result = message;
      this.setSession(message.session_id);
    }
    for (const event of transcriptEvents(message, this.request.cwd)) this.request.onEvent(event);
  }

  addStderr(data: string): void {
    this.stderr = (this.stderr + data).slice(-STDERR_TAIL);
  }

  private setSession(id: string): void {
    if (id === this.sessionId && this.reported) return;
    this.sessionId = id;
    this.reported = true;
    this.request.onSession(id);
  }
}

class ClaudeEngine implements EngineDriver {
  readonly engine = 'claude' as const;
  /** Each session's `total_cost_usd` after its last turn here: the next turn's cost is the difference. */
  private readonly sessionTotals = new Map<string, number>();

  constructor(
    private readonly config: CodingAgentConfig,
    private readonly env: Record<string, string | undefined>,
  ) {}

  async runTurn(request: TurnRequest): Promise<TurnOutcome> {
    if (request.signal.aborted) throw abortedTurnError(request.signal);
    const executable = resolveExecutable('claude', this.config.executable, this.env);
    const previousTotal = request.sessionId === undefined ? 0 : this.sessionTotals.get(request.sessionId);
    const state = new TurnState(request, previousTotal);
    const abortController = new AbortController();
    const cli = new ClaudeProcess((data) => state.addStderr(data));
    let running: Query;
    try {
      running = query({ prompt: request.prompt, options: claudeOptions(this.config, this.env, executable, request, { abortController, process: cli }) });
    } catch (error) {
      throw thrownFailure(error, { stderr: state.stderr });
    }
    const onAbort = (): void => {
      running.interrupt().catch(() => undefined);
      abortController.abort(request.signal.reason);
    };
    request.signal.addEventListener('abort', onAbort, { once: true });
    let failed: { error: unknown } | undefined;
    try {
      for await (const message of running) state.take(message);
    } catch (error) {
      failed = { error };
    } finally {
      request.signal.removeEventListener('abort', onAbort);
      await cli.settle();
    }
    // A failed turn may have cost something too (a tool round before maxTurns).
    if (state.result && state.sessionId !== undefined) this.sessionTotals.set(state.sessionId, state.result.total_cost_usd);
    if (request.signal.aborted) throw abortedTurnError(request.signal, failed?.error);
    if (failed) throw thrownFailure(failed.error, this.failureContext(state));
    return this.outcome(state);
  }

  private failureContext(state: TurnState): Parameters<typeof thrownFailure>[1] {
    const usage = state.result ? turnUsage(state.result, state.previousTotalUsd) : undefined;
    return { result: state.result, assistantError: state.assistantError, stderr: state.stderr, usage };
  }

  private outcome(state: TurnState): TurnOutcome {
    const { result, sessionId } = state;
    if (!result || sessionId === undefined) throw new EngineError('internal', `Claude Code ended the turn without a result${state.stderr ? ` (stderr: ${state.stderr})` : ''}.`);
    const usage = turnUsage(result, state.previousTotalUsd);
    const failure = resultFailure(result, { ...this.failureContext(state), usage });
    if (failure) throw failure;
    return { sessionId, text: result.subtype === 'success' ? result.result : '', usage, turns: result.num_turns };
  }
}

/** The Claude Code driver for an agent: `config` is its manifest config, `env` the environment its CLI gets (API key, base URL). */
export const createClaudeEngine: EngineFactory = (config, env) => new ClaudeEngine(config, env);
