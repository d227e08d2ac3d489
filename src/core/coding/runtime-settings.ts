/**
 * What the coding-agent process reads from its environment (docs/agent-protocol.md,
 * "Environment"), and whether it can work: a config that parses, a workspace folder that
 * exists, a CLI it can run. A process that cannot work still starts and stays up (a
 * supervisor would otherwise restart it into a crash loop); it answers every task with
 * the typed reason and what to do (refusal.ts).
 */
import { statSync } from 'node:fs';
import type { CodingAgentConfig, TaskFailureReason } from '../../shared/coding.js';
import { CodingAgentConfig as ConfigSchema } from '../../shared/coding.js';
import type { EngineDriver, EngineFactory } from './engine.js';
import { EngineError } from './engine.js';
import { resolveExecutable } from './executables.js';

export type Env = Record<string, string | undefined>;

export interface RuntimeSettings {
  name: string;
  heartbeatMs: number;
  maxConcurrentTasks: number;
  /** SWITCHYARD_STATE_DIR: where sessions persist; in memory without it. */
  stateDir: string | undefined;
  /** SWITCHYARD_APPROVER: the desktop's owner endpoint, for requests from local agents. */
  approver: string | undefined;
}

export function readSettings(env: Env): RuntimeSettings {
  const positive = (value: string | undefined, fallback: number): number => {
    const n = Number(value);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return {
    name: env.SWITCHYARD_AGENT_NAME || 'coding-agent',
    heartbeatMs: positive(env.SWITCHYARD_HEARTBEAT_MS, 5_000),
    maxConcurrentTasks: positive(env.SWITCHYARD_MAX_CONCURRENT_TASKS, 1),
    stateDir: env.SWITCHYARD_STATE_DIR || undefined,
    approver: env.SWITCHYARD_APPROVER || undefined,
  };
}

export type Readiness =
  | { ok: true; config: CodingAgentConfig; workspace: string; engine: EngineDriver }
  | { ok: false; reason: TaskFailureReason; message: string };

/** Parses the config, checks the workspace and the CLI, and makes the engine. */
export function checkReadiness(env: Env, engines: Record<CodingAgentConfig['engine'], EngineFactory>): Readiness {
  let raw: unknown;
  try {
    raw = JSON.parse(env.SWITCHYARD_AGENT_CONFIG ?? '{}');
  } catch {
    return { ok: false, reason: 'bad-request', message: 'SWITCHYARD_AGENT_CONFIG is not JSON: fix the "config" of this agent\'s manifest.' };
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
    return { ok: false, reason: 'bad-request', message: `this agent's config is invalid (${issues}): fix the "config" of its manifest.` };
  }
  const config = parsed.data;
  const workspace = workspaceProblem(config.workspace);
  if (workspace.problem !== undefined) return { ok: false, reason: 'workspace-invalid', message: workspace.problem };
  try {
    resolveExecutable(config.engine, config.executable, env);
    return { ok: true, config, workspace: workspace.path, engine: engines[config.engine](config, env) };
  } catch (error) {
    if (error instanceof EngineError) return { ok: false, reason: error.reason, message: error.message };
    return { ok: false, reason: 'internal', message: `the ${config.engine} engine could not start: ${(error as Error).message}` };
  }
}

function workspaceProblem(workspace: string | undefined): { path: string; problem?: undefined } | { problem: string } {
  if (workspace === undefined) {
    return { problem: 'this agent has no workspace: start it on a git repository (pick a folder, or give a path, when you start it; or set "workspace" in its manifest\'s config).' };
  }
  try {
    if (statSync(workspace).isDirectory()) return { path: workspace };
    return { problem: `the workspace "${workspace}" is not a folder: start the agent on a git repository's folder.` };
  } catch {
    return { problem: `the workspace "${workspace}" does not exist: start the agent on an existing git repository.` };
  }
}
