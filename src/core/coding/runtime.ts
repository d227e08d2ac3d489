/**
 * The coding-agent process, composed: the protocol link, then either the task runner
 * (engine, task folders, sessions, approvals) or, when it cannot work, the refusing inbox.
 * main.ts calls it with the real stdio, git task folders and engines; everything is
 * passed in, so nothing here reaches for a global.
 */
import type { Readable, Writable } from 'node:stream';
import type { CodingAgentConfig } from '../../shared/coding.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { AgentLink } from './agent-link.js';
import { ApprovalBroker } from './approval-broker.js';
import type { EngineFactory } from './engine.js';
import { refusingInbox } from './refusal.js';
import type { Env } from './runtime-settings.js';
import { checkReadiness, readSettings } from './runtime-settings.js';
import { SessionStore } from './session-store.js';
import type { TaskFolders } from './task-folders.js';
import { TaskRunner } from './task-runner.js';

export interface CodingAgentDeps {
  env: Env;
  input: Readable;
  output: Writable;
  folders: TaskFolders;
  engines: Record<CodingAgentConfig['engine'], EngineFactory>;
  /** Called once the link closed and running turns have ended. */
  exit(code: number): void;
  clock?: Clock;
}

export interface CodingAgent {
  link: AgentLink;
  /** Absent when the agent cannot work (it refuses every task). */
  runner?: TaskRunner;
}

export function startCodingAgent(deps: CodingAgentDeps): CodingAgent {
  const settings = readSettings(deps.env);
  const clock = deps.clock ?? systemClock;
  const readiness = checkReadiness(deps.env, deps.engines);
  let handle: (message: Parameters<TaskRunner['handle']>[0]) => void = () => undefined;
  // Assigned once below, after the link whose closures read it.
  // eslint-disable-next-line prefer-const
  let runner: TaskRunner | undefined;
  const link = new AgentLink({
    input: deps.input,
    output: deps.output,
    name: settings.name,
    heartbeatMs: settings.heartbeatMs,
    clock,
    load: () => runner?.load() ?? { current: 0, max: settings.maxConcurrentTasks },
    onMessage: (message) => handle(message),
    onClose: (reason) => {
      void (runner?.stopAll(reason) ?? Promise.resolve()).finally(() => deps.exit(0));
    },
  });
  const send = (to: string, body: unknown, kind: Parameters<AgentLink['send']>[2]): void => void link.send(to, body, kind);
  const log = (level: 'info' | 'warn' | 'error', message: string): void => link.log(level, message);

  if (!readiness.ok) {
    handle = refusingInbox(readiness, send);
    link.start();
    link.log('error', `cannot take tasks (${readiness.reason}): ${readiness.message}`);
    link.status('idle');
    return { link };
  }
  const { config, workspace, engine } = readiness;
  const sessions = SessionStore.open(settings.stateDir, (message) => log('warn', message));
  const approvals = new ApprovalBroker({ config, always: sessions, send, log: (level, message) => log(level, message), clock });
  runner = new TaskRunner({
    agent: settings.name,
    workspace,
    config,
    engine,
    folders: deps.folders,
    sessions,
    approvals,
    clock,
    send,
    log,
    status: (status) => link.status(status),
    maxConcurrentTasks: settings.maxConcurrentTasks,
    approverFallback: settings.approver,
  });
  const taking = runner;
  handle = (message) => taking.handle(message);
  link.start();
  link.log('info', `${config.engine} agent ready in ${workspace} (isolation ${config.isolation}, ${settings.maxConcurrentTasks} task(s) at once)`);
  link.status('idle');
  return { link, runner };
}
