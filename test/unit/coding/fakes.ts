/**
 * Test doubles for the coding runtime's pure parts: an engine whose turns the test drives
 * (events, approvals, outcome), plain-folder TaskFolders, and a runner wired to a manual
 * clock that records every message it sends.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CodingAgentConfig } from '../../../src/shared/coding.js';
import { CodingAgentConfig as ConfigSchema } from '../../../src/shared/coding.js';
import type { MessageKind, RoutedMessage } from '../../../src/shared/domain.js';
import type { SelfStatus } from '../../../src/core/coding/agent-link.js';
import { ApprovalBroker } from '../../../src/core/coding/approval-broker.js';
import type { ApprovalDecision, EngineDriver, ToolUseRequest, TurnOutcome, TurnRequest } from '../../../src/core/coding/engine.js';
import { EngineError } from '../../../src/core/coding/engine.js';
import { SessionStore } from '../../../src/core/coding/session-store.js';
import type { TaskFolder, TaskFolders } from '../../../src/core/coding/task-folders.js';
import { TaskRunner } from '../../../src/core/coding/task-runner.js';
import type { ManualClock } from '../../helpers/test-clocks.js';
import { manualClock } from '../../helpers/test-clocks.js';

/** One turn the fake engine is running: the test emits events, asks approvals, ends it. */
export class FakeTurn {
  readonly done: Promise<TurnOutcome>;
  private finish!: (outcome: TurnOutcome) => void;
  private fail!: (error: Error) => void;

  constructor(readonly request: TurnRequest) {
    this.done = new Promise<TurnOutcome>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
    // A real engine interrupts the CLI and throws; this one throws at once.
    request.signal.addEventListener('abort', () => this.fail(new EngineError('cancelled', 'interrupted')), { once: true });
  }

  emitText(text: string): void {
    this.request.onEvent({ type: 'text', text });
  }

  ask(use: Partial<ToolUseRequest> = {}): Promise<ApprovalDecision> {
    return this.request.requestApproval({ tool: 'Write', summary: 'Write a.txt', input: { file_path: 'a.txt', content: 'hi' }, ...use });
  }

  complete(outcome: Partial<TurnOutcome> = {}): void {
    const sessionId = outcome.sessionId ?? this.request.sessionId ?? 'session-1';
    this.request.onSession(sessionId);
    this.finish({ sessionId, text: 'done', usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, costUsd: 0.01 }, turns: 1, ...outcome });
  }

  error(error: Error): void {
    this.fail(error);
  }
}

export class FakeEngine implements EngineDriver {
  readonly engine = 'claude' as const;
  readonly turns: FakeTurn[] = [];
  runTurn(request: TurnRequest): Promise<TurnOutcome> {
    const turn = new FakeTurn(request);
    this.turns.push(turn);
    return turn.done;
  }
}

/** TaskFolders on a plain folder: the workspace itself, changed files = files in it. */
export function plainFolders(): TaskFolders & { released: number } {
  return {
    released: 0,
    prepare: async ({ workspace }): Promise<TaskFolder> => ({ cwd: workspace, branch: null, worktree: null, base: 'base-0' }),
    changedFiles: async (folder) => readdirSync(folder.cwd),
    async release() {
      this.released += 1;
    },
  };
}

export interface Sent {
  to: string;
  kind: MessageKind;
  body: Record<string, unknown>;
}

export interface Harness {
  clock: ManualClock;
  engine: FakeEngine;
  runner: TaskRunner;
  sessions: SessionStore;
  sent: Sent[];
  statuses: SelfStatus[];
  logs: string[];
  workspace: string;
  of(kind: MessageKind): Sent[];
  deliver(from: string, kind: MessageKind, body: unknown, id?: string): string;
}

let ids = 0;

export function harness(dir: string, overrides: Partial<CodingAgentConfig> = {}, maxConcurrentTasks = 1, approverFallback?: string): Harness {
  const config = ConfigSchema.parse({ engine: 'claude', progressBatchMs: 50, ...overrides });
  const workspace = join(dir, 'ws');
  mkdirSync(workspace, { recursive: true });
  const clock = manualClock(1_000_000);
  const engine = new FakeEngine();
  const sent: Sent[] = [];
  const statuses: SelfStatus[] = [];
  const logs: string[] = [];
  const send = (to: string, body: unknown, kind: MessageKind): void => void sent.push({ to, kind, body: body as Record<string, unknown> });
  const log = (_level: string, message: string): void => void logs.push(message);
  const sessions = SessionStore.open(join(dir, 'state'));
  let approvals = 0;
  const broker = new ApprovalBroker({ config, always: sessions, send, log, clock, newId: () => `ap-${String(++approvals).padStart(8, '0')}` });
  let tasks = 0;
  const runner = new TaskRunner({
    agent: 'coder',
    workspace,
    config,
    engine,
    folders: plainFolders(),
    sessions,
    approvals: broker,
    clock,
    send,
    log,
    status: (s) => void statuses.push(s),
    maxConcurrentTasks,
    approverFallback,
    newTaskId: () => `task-${++tasks}`,
  });
  return {
    clock,
    engine,
    runner,
    sessions,
    sent,
    statuses,
    logs,
    workspace,
    of: (kind) => sent.filter((m) => m.kind === kind),
    deliver(from, kind, body, id = `msg-${String(++ids).padStart(8, '0')}`) {
      const message: RoutedMessage = {
        id,
        from,
        to: 'coder',
        repo: 'demo',
        body: body as never,
        kind,
        timestamp: clock.now(),
        route: { sourceLocation: 'local', destLocation: 'local', routedVia: 'local', routedAt: clock.now() },
        traceId: '0'.repeat(32),
      };
      runner.handle(message);
      return id;
    },
  };
}
