/**
 * What the coding-agent runtime needs from an SDK: run one turn of a session in a folder,
 * streaming transcript events and asking for approvals, and say how it ended. One driver
 * per SDK (claude-engine.ts, codex-engine.ts); the runtime (task-runner.ts) knows only this.
 */
import type { CodingAgentConfig, TaskFailureReason, TranscriptEvent, Usage } from '../../shared/coding.js';

/** A tool use the engine wants to make, as the approval request will show it. */
export interface ToolUseRequest {
  tool: string;
  /** One line: what it would do (`Write src/a.ts`). */
  summary: string;
  input: Record<string, unknown>;
}

export type ApprovalDecision = { allow: true; always?: boolean } | { allow: false; reason: string };

export interface TurnRequest {
  prompt: string;
  /** The folder it runs in: the workspace or the task's worktree. */
  cwd: string;
  /** Continue this session; a new one when absent. */
  sessionId?: string;
  /** Aborted on task.cancel or timeout: the engine interrupts the turn and throws EngineError('cancelled'|'timeout'). */
  signal: AbortSignal;
  onEvent(event: TranscriptEvent): void;
  /** Called before each tool use that the policy does not already allow. */
  requestApproval(request: ToolUseRequest): Promise<ApprovalDecision>;
  /** The session id, as soon as the engine knows it (persisted before the turn ends). */
  onSession(sessionId: string): void;
}

export interface TurnOutcome {
  sessionId: string;
  /** The final assistant text. */
  text: string;
  usage: Usage;
  /** Model round trips in this turn. */
  turns: number;
}

/** A failed turn, with the reason the task.failed message carries. */
export class EngineError extends Error {
  override name = 'EngineError';
  constructor(
    readonly reason: TaskFailureReason,
    message: string,
    readonly usage?: Usage,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface EngineDriver {
  readonly engine: CodingAgentConfig['engine'];
  /** Runs one turn; throws EngineError with a typed reason. */
  runTurn(request: TurnRequest): Promise<TurnOutcome>;
}

/** How a driver is made: the agent's config and the environment its CLI runs with. */
export type EngineFactory = (config: CodingAgentConfig, env: Record<string, string | undefined>) => EngineDriver;
