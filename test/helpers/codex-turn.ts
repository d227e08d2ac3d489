/**
 * Running one Codex turn in a test: the real CLI against a scripted model server, in a
 * real git repository, with everything the driver reports recorded for assertions. Each
 * test gets its own model server and CODEX_HOME (`useCodexRig` in a describe block).
 */
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, expect } from 'vitest';
import type { TranscriptEvent } from '../../src/shared/coding.js';
import { CodingAgentConfig } from '../../src/shared/coding.js';
import { createCodexEngine } from '../../src/core/coding/codex-engine.js';
import type { ApprovalDecision, EngineDriver, ToolUseRequest, TurnOutcome } from '../../src/core/coding/engine.js';
import { EngineError } from '../../src/core/coding/engine.js';
import type { CodexHome } from './codex-home.js';
import { makeCodexHome } from './codex-home.js';
import type { ScriptedModelServer } from './model-server/server.js';
import { startOpenAIModelServer } from './model-server/openai-responses.js';
import { tempDirsPerTest } from './temp-dir.js';

export interface CodexRig {
  server: ScriptedModelServer;
  home: CodexHome;
  /** A fresh git repository, removed after the test. */
  gitRepo(): string;
  /** A Codex driver on the pinned CLI and this test's CODEX_HOME. */
  engine(overrides?: Partial<CodingAgentConfig>): EngineDriver;
}

/** Call at the top of a describe block: a model server, a CODEX_HOME and repos per test. */
export function useCodexRig(): CodexRig {
  const tempDir = tempDirsPerTest('sy-codex-repo-');
  const rig = {
    gitRepo(): string {
      const dir = tempDir();
      execFileSync('git', ['init', '-q', dir]);
      return dir;
    },
    engine(overrides: Partial<CodingAgentConfig> = {}): EngineDriver {
      const config = CodingAgentConfig.parse({ engine: 'codex', model: 'gpt-5', executable: rig.home.cli, ...overrides });
      return createCodexEngine(config, rig.home.env);
    },
  } as CodexRig;
  beforeEach(async () => {
    rig.server = await startOpenAIModelServer();
    rig.home = makeCodexHome(rig.server.url);
  });
  afterEach(async () => {
    await rig.server.close();
    rig.home.remove();
  });
  return rig;
}

export interface RecordedTurn {
  outcome: Promise<TurnOutcome>;
  events: TranscriptEvent[];
  sessions: string[];
  approvals: ToolUseRequest[];
  settled(): boolean;
}

/** Runs one turn, recording what the driver reported along the way. */
export function runTurn(driver: EngineDriver, input: { cwd: string; prompt?: string; sessionId?: string; signal?: AbortSignal }): RecordedTurn {
  const events: TranscriptEvent[] = [];
  const sessions: string[] = [];
  const approvals: ToolUseRequest[] = [];
  let settled = false;
  const outcome = driver
    .runTurn({
      prompt: input.prompt ?? 'do the task',
      cwd: input.cwd,
      ...(input.sessionId === undefined ? {} : { sessionId: input.sessionId }),
      signal: input.signal ?? new AbortController().signal,
      onEvent: (event) => events.push(event),
      onSession: (id) => sessions.push(id),
      requestApproval: (request): Promise<ApprovalDecision> => {
        approvals.push(request);
        return Promise.resolve({ allow: false, reason: 'not expected' });
      },
    })
    .finally(() => {
      settled = true;
    });
  return { outcome, events, sessions, approvals, settled: () => settled };
}

/** The EngineError a turn failed with (fails the test if it did not). */
export async function engineFailure(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}
