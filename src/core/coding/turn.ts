/**
 * One turn of a coding task, start to end: its folder, `task.started`, the engine's run
 * with batched `task.progress`, then `task.completed` with changed files and usage, or
 * `task.failed` with the typed reason. The scheduler (task-runner.ts) decides when a
 * turn runs; this file decides what a turn says.
 */
import type { CodingAgentConfig, TaskCompletedBody, TaskFailedBody, TaskFailureReason, TaskProgressBody, TaskStartedBody } from '../../shared/coding.js';
import type { MessageKind } from '../../shared/domain.js';
import type { Clock } from '../clock.js';
import { scheduleOn } from '../clock.js';
import type { ApprovalBroker } from './approval-broker.js';
import { cutText } from './cut-json.js';
import type { EngineDriver, TurnOutcome } from './engine.js';
import { EngineError } from './engine.js';
import { MAX_BATCH_BYTES, MAX_EVENTS_PER_BATCH, ProgressBatcher } from './progress-batcher.js';
import type { SessionStore, TaskSession } from './session-store.js';
import { abortCause, abortTurn } from './turn-abort.js';
import type { TaskFolder, TaskFolders } from './task-folders.js';

/** What a turn needs from the agent around it. */
export interface TurnHost {
  agent: string;
  workspace: string;
  config: CodingAgentConfig;
  engine: EngineDriver;
  folders: TaskFolders;
  sessions: SessionStore;
  approvals: ApprovalBroker;
  clock: Clock;
  send(to: string, body: unknown, kind: MessageKind): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

/** A request that became a turn: who asked, for which task, and who approves its tools. */
export interface TurnRequestInfo {
  taskId: string;
  prompt: string;
  /** The message it answers. */
  messageId: string;
  requester: string;
  approver: string;
}

/** After an abort, an engine that has not stopped within this is given up on. */
export const ABORT_GRACE_MS = 10_000;

export async function runTurn(host: TurnHost, turn: TurnRequestInfo, controller: AbortController): Promise<void> {
  const startedAt = host.clock.now();
  const fail = (reason: TaskFailureReason, message: string, usage?: TaskFailedBody['usage']): void => {
    const body: TaskFailedBody = { taskId: turn.taskId, inReplyTo: turn.messageId, reason, message: cutText(message, 8192), ...(usage ? { usage } : {}) };
    host.send(turn.requester, body, 'task.failed');
  };
  let folder: TaskFolder;
  try {
    folder = await prepareFolder(host, turn.taskId);
  } catch (error) {
    fail(folderFailure(error), `could not prepare the task's folder: ${(error as Error).message}`);
    return;
  }
  const stored = host.sessions.get(turn.taskId);
  const started: TaskStartedBody = { taskId: turn.taskId, inReplyTo: turn.messageId, cwd: folder.cwd, branch: folder.branch, resumed: stored?.sessionId !== undefined };
  host.send(turn.requester, started, 'task.started');
  const batcher = new ProgressBatcher(
    { batchMs: host.config.progressBatchMs, maxEvents: MAX_EVENTS_PER_BATCH, maxBytes: MAX_BATCH_BYTES },
    (events, seq) => host.send(turn.requester, { taskId: turn.taskId, inReplyTo: turn.messageId, seq, events } satisfies TaskProgressBody, 'task.progress'),
    host.clock,
  );
  const cancelTimeout = scheduleOn(host.clock, host.config.taskTimeoutMs, () =>
    abortTurn(controller, 'timeout', `the task ran past its limit of ${Math.round(host.config.taskTimeoutMs / 1000)} s (taskTimeoutMs)`),
  );
  const remember = (sessionId: string): void => host.sessions.set(turn.taskId, record(host.clock, folder, sessionId));
  try {
    const outcome = await untilStopped(
      host.engine.runTurn({
        prompt: turn.prompt,
        cwd: folder.cwd,
        ...(stored?.sessionId ? { sessionId: stored.sessionId } : {}),
        signal: controller.signal,
        onEvent: (event) => batcher.push(event),
        requestApproval: (use) => host.approvals.request({ taskId: turn.taskId, approver: turn.approver, cwd: folder.cwd, signal: controller.signal }, use),
        onSession: remember,
      }),
      controller.signal,
    );
    cancelTimeout();
    batcher.flush();
    remember(outcome.sessionId);
    host.send(turn.requester, await completed(host, turn, folder, outcome, startedAt), 'task.completed');
  } catch (error) {
    cancelTimeout();
    batcher.flush();
    const failure = failureOf(error, controller.signal);
    fail(failure.reason, failure.message, error instanceof EngineError ? error.usage : undefined);
  } finally {
    await host.folders.release(folder).catch((error: unknown) => host.log('warn', `could not tidy the folder of task ${turn.taskId}: ${String(error)}`));
  }
}

/** The task's folder; on a later turn the one it had, counted against its first base. */
async function prepareFolder(host: TurnHost, taskId: string): Promise<TaskFolder> {
  const folder = await host.folders.prepare({ workspace: host.workspace, agent: host.agent, taskId, isolation: host.config.isolation });
  const stored = host.sessions.get(taskId);
  const same = stored !== undefined && stored.cwd === folder.cwd;
  const kept: TaskFolder = same ? { ...folder, base: stored.base } : folder;
  // A session lives in its folder (Claude Code keys sessions by cwd): a new folder starts a new one.
  host.sessions.set(taskId, record(host.clock, kept, same ? stored.sessionId : undefined));
  return kept;
}

function record(clock: Clock, folder: TaskFolder, sessionId: string | undefined): TaskSession {
  const { cwd, branch, worktree, base } = folder;
  return { ...(sessionId ? { sessionId } : {}), cwd, branch, worktree, base, updatedAt: clock.now() };
}

async function completed(host: TurnHost, turn: TurnRequestInfo, folder: TaskFolder, outcome: TurnOutcome, startedAt: number): Promise<TaskCompletedBody> {
  let changedFiles: string[] = [];
  try {
    changedFiles = await host.folders.changedFiles(folder);
  } catch (error) {
    host.log('warn', `could not list the changed files of task ${turn.taskId}: ${String(error)}`);
  }
  return {
    taskId: turn.taskId,
    inReplyTo: turn.messageId,
    text: cutText(outcome.text, 262_144),
    changedFiles: changedFiles.slice(0, 10_000),
    branch: folder.branch,
    worktree: folder.worktree,
    usage: outcome.usage,
    durationMs: Math.max(0, Math.round(host.clock.now() - startedAt)),
    turns: outcome.turns,
    sessionId: outcome.sessionId,
  };
}

/** The engine's outcome; once the turn is aborted, at most ABORT_GRACE_MS more. */
function untilStopped(run: Promise<TurnOutcome>, signal: AbortSignal): Promise<TurnOutcome> {
  return new Promise<TurnOutcome>((resolve, reject) => {
    let cancelGrace: (() => void) | undefined;
    const onAbort = (): void => {
      const timer = setTimeout(() => reject(new Error('the engine did not stop in time')), ABORT_GRACE_MS);
      cancelGrace = () => clearTimeout(timer);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (): void => {
      signal.removeEventListener('abort', onAbort);
      cancelGrace?.();
    };
    run.then(
      (outcome) => {
        done();
        resolve(outcome);
      },
      (error: unknown) => {
        done();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Why a turn failed: an abort's own reason wins over what the engine threw while stopping. */
export function failureOf(error: unknown, signal: AbortSignal): { reason: TaskFailureReason; message: string } {
  const cause = abortCause(signal);
  if (cause) return cause;
  if (error instanceof EngineError) return { reason: error.reason, message: error.message };
  return { reason: 'internal', message: `the agent failed: ${error instanceof Error ? error.message : String(error)}` };
}

function folderFailure(error: unknown): TaskFailureReason {
  if (error instanceof EngineError) return error.reason;
  return (error as Error | undefined)?.name === 'WorkspaceInvalid' ? 'workspace-invalid' : 'internal';
}
