/**
 * What the Agents view says about a supervised agent: restarts, why it last ended,
 * whether it is crash-looping. Read from `metadata.supervision` (src/core/agents).
 */
import type { LastExit, Supervision } from '../../../shared/agent-protocol.js';
import { Supervision as SupervisionSchema } from '../../../shared/agent-protocol.js';
import type { AgentInfo } from '../../../shared/domain.js';

const cache = new WeakMap<AgentInfo, Supervision | null>();

/** The agent's supervision record, or null for agents Switchyard does not supervise. */
export function supervisionOf(agent: AgentInfo): Supervision | null {
  const known = cache.get(agent);
  if (known !== undefined) return known;
  const parsed = SupervisionSchema.safeParse(agent.metadata.supervision);
  const value = parsed.success ? parsed.data : null;
  cache.set(agent, value);
  return value;
}

/** "exit 1", "SIGKILL", "missed heartbeats", "could not start", "stopped", "crash loop". */
export function describeExit(exit: LastExit): string {
  switch (exit.reason) {
    case 'exited':
      return `exit ${exit.code ?? '?'}`;
    case 'signal':
      return exit.signal ?? 'signal';
    case 'unresponsive':
      return 'missed heartbeats';
    case 'spawn-failed':
      return 'could not start';
    case 'stopped':
      return 'stopped';
    case 'crash-loop':
      return 'crash loop';
  }
}

/** The line under the status: only when supervision has something to say. */
export function supervisionNote(supervision: Supervision, now: number): string | null {
  switch (supervision.state) {
    case 'crash-loop':
      return 'crash loop: gave up restarting';
    case 'backoff': {
      const due = supervision.nextRestartAt;
      return due ? `restarting in ${Math.max(0, Math.ceil((due - now) / 1000))}s` : 'restarting';
    }
    case 'starting':
      return 'starting';
    case 'stopping':
      return 'stopping';
    case 'stopped':
      return 'stopped';
    case 'running':
      return null;
  }
}

/** True when stop is the useful action; false when start (restart) is. */
export function isLiveSupervision(supervision: Supervision): boolean {
  return supervision.state === 'running' || supervision.state === 'starting' || supervision.state === 'backoff';
}
