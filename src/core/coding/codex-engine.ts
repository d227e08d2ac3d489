/**
 * The Codex driver: one turn of a Codex thread through `@openai/codex-sdk`, which runs
 * `codex exec --experimental-json` per turn and types its JSONL events.
 *
 * Approvals cannot be routed: the SDK has no callback for them, so `requestApproval` is
 * never called. The CLI decides from the manifest's `codex.sandboxMode` and
 * `codex.approvalPolicy`, and `codex exec` has nobody to ask: whatever would need an
 * approval is refused, whatever the policy (measured on 0.169: a patch the sandbox blocks
 * is "rejected by user approval settings"; an escalation request gets "approval policy is
 * Never; reject command"). The model is told; the transcript shows no item for a refused
 * patch. docs/coding-agents.md says this to the user.
 */
import type { ThreadEvent, ThreadOptions, Usage as CodexUsage } from '@openai/codex-sdk';
import { Codex } from '@openai/codex-sdk';
import type { CodingAgentConfig, Usage } from '../../shared/coding.js';
import { codexAborted, codexTurnFailure, codexUnexpected } from './codex-failures.js';
import { CodexTranscript } from './codex-transcript.js';
import type { EngineDriver, TurnOutcome, TurnRequest } from './engine.js';
import { EngineError } from './engine.js';
import { resolveExecutable } from './executables.js';

/** Codex's token counts as the switchyard's Usage; Codex reports no cost. */
export function codexUsage(usage: CodexUsage | null | undefined): Usage {
  return {
    inputTokens: usage?.input_tokens ?? 0,
    outputTokens: usage?.output_tokens ?? 0,
    cachedInputTokens: usage?.cached_input_tokens ?? 0,
    costUsd: null,
  };
}

/** The SDK takes a complete environment (it does not inherit process.env when given one). */
function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

/** The thread's settings: the turn's folder and the manifest's model, sandbox and approval policy. */
export function codexThreadOptions(config: CodingAgentConfig, cwd: string): ThreadOptions {
  return {
    workingDirectory: cwd,
    // The runtime checks the workspace is a git repository before an agent starts on it.
    skipGitRepoCheck: true,
    sandboxMode: config.codex.sandboxMode,
    approvalPolicy: config.codex.approvalPolicy,
    ...(config.model === undefined ? {} : { model: config.model }),
  };
}

/** One turn's running state: what the events said so far, and how the turn ends. */
class CodexTurn {
  private readonly transcript: CodexTranscript;
  private sessionId: string | undefined;
  private usage: CodexUsage | null = null;
  private failure: EngineError | undefined;
  /** A stream `error` event: fatal only if the turn then fails or never completes. */
  private lastError: string | undefined;

  constructor(private readonly request: TurnRequest) {
    this.transcript = new CodexTranscript(request.cwd);
    this.sessionId = request.sessionId;
  }

  /** Takes one event; false when the turn is over (a failed turn: the CLI is stopped). */
  take(event: ThreadEvent): boolean {
    if (event.type === 'thread.started' && event.thread_id !== this.sessionId) {
      this.sessionId = event.thread_id;
      this.request.onSession(event.thread_id);
    }
    for (const entry of this.transcript.map(event)) this.request.onEvent(entry);
    if (event.type === 'turn.completed') this.usage = event.usage;
    if (event.type === 'error') this.lastError = event.message;
    if (event.type === 'turn.failed') this.failure = codexTurnFailure(event.error.message);
    return event.type !== 'turn.failed';
  }

  /** The SDK threw: the CLI exits non-zero after a failed turn, and its events said why better. */
  thrown(error: unknown): EngineError {
    if (this.request.signal.aborted) return codexAborted(this.request.signal, error);
    return this.failure ?? (this.lastError === undefined ? codexUnexpected(error) : codexTurnFailure(this.lastError));
  }

  /** The outcome once the events have ended, or the EngineError that says why there is none. */
  outcome(): TurnOutcome {
    if (this.request.signal.aborted) throw codexAborted(this.request.signal);
    if (this.failure) throw this.failure;
    if (this.usage === null && this.lastError !== undefined) throw codexTurnFailure(this.lastError);
    if (this.sessionId === undefined) throw new EngineError('internal', 'Codex ended the turn without naming its thread.');
    if (this.usage === null) throw new EngineError('internal', 'Codex ended the turn without completing it (no turn.completed event).');
    return { sessionId: this.sessionId, text: this.transcript.finalText, usage: codexUsage(this.usage), turns: this.transcript.roundTrips };
  }
}

class CodexEngine implements EngineDriver {
  readonly engine = 'codex' as const;

  constructor(
    private readonly config: CodingAgentConfig,
    private readonly env: Record<string, string | undefined>,
  ) {}

  async runTurn(request: TurnRequest): Promise<TurnOutcome> {
    if (request.signal.aborted) throw codexAborted(request.signal);
    // Resolved per turn: a CLI installed after the agent started is found on its next task.
    const codex = new Codex({ codexPathOverride: resolveExecutable('codex', this.config.executable, this.env), env: definedOnly(this.env) });
    const options = codexThreadOptions(this.config, request.cwd);
    const thread = request.sessionId === undefined ? codex.startThread(options) : codex.resumeThread(request.sessionId, options);
    const turn = new CodexTurn(request);
    try {
      const { events } = await thread.runStreamed(request.prompt, { signal: request.signal });
      // Leaving the loop early ends the SDK's generator, which stops the CLI.
      for await (const event of events) if (!turn.take(event)) break;
    } catch (error) {
      throw turn.thrown(error);
    }
    return turn.outcome();
  }
}

/** The Codex EngineFactory: `env` is the whole environment the CLI runs with. */
export function createCodexEngine(config: CodingAgentConfig, env: Record<string, string | undefined>): EngineDriver {
  return new CodexEngine(config, env);
}
