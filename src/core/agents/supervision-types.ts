/**
 * The settings a supervised agent runs under: its timings and what it needs from the
 * supervisor around it.
 */
import type { ContextLine, SendLine, SpawnLine } from '../../shared/agent-protocol.js';
import type { Clock } from '../clock.js';
import type { AgentRegistryPort } from './agent-record.js';
import type { ReplyTo } from './agent-context.js';
import type { RestartTimings } from './restart-policy.js';

export type { AgentRegistryPort } from './agent-record.js';

/** Every timing of supervision; tests scale them down. */
export interface SupervisorTimings extends RestartTimings {
  /** How often heartbeats are checked (the "sweep"). */
  sweepIntervalMs: number;
  /** Wait after `shutdown` before SIGTERM; the manifest's healthCheck.timeoutMs when unset. */
  stopGraceMs?: number;
  /** Wait after SIGTERM before SIGKILL. */
  killAfterMs: number;
}

/** What a supervised agent needs from the supervisor around it. */
export interface AgentHost {
  clock: Clock;
  registry: AgentRegistryPort;
  owner: string;
  timings: SupervisorTimings;
  /** Agents' state folders live under it (`<dataDir>/agent-state`); none when absent. */
  stateRoot?: string;
  /** Given to every agent as SWITCHYARD_APPROVER (docs/agent-protocol.md). */
  approver?: string;
  /** An agent asked to send or spawn. */
  outbound(from: { repo: string; name: string }, line: SendLine | SpawnLine): void;
  /** An agent's blackboard line (agent-context.ts); `reply` reaches only the run that asked. */
  context(from: { repo: string; name: string }, line: ContextLine, reply: ReplyTo): void;
}
