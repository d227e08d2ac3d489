/**
 * Rows left by an earlier run of the app: the registry outlives the supervisor, so after
 * a crash, a kill -9 or a plain restart it still holds records of supervised agents
 * whose processes ended with the app that ran them.
 *
 * Left alone, such a row looks live (or "stopped" with a Start button) for up to the
 * registry's retention hour, while no supervisor of this run knows the name: Restart,
 * Stop and Start on it failed with AgentNotRunning. So a new supervisor retires them
 * the moment it is created, before it starts anything, and `adoptable` lets it start
 * one again by name with the options its record carries.
 */
import { Supervision } from '../../shared/agent-protocol.js';
import type { AgentInfo } from '../../shared/domain.js';
import { Isolation } from '../../shared/coding.js';
import type { StartSettings } from './agent-handshake.js';
import type { AgentRegistryPort } from './supervision-types.js';
import type { AgentRegistry } from '../registry/index.js';

/** The supervision summary of a record written by a supervisor, if it is one. */
export function supervisionOf(agent: AgentInfo): Supervision | undefined {
  const parsed = Supervision.safeParse(agent.metadata.supervision);
  return agent.location === 'local' && parsed.success ? parsed.data : undefined;
}

/** The workspace and isolation a supervised record was started with. */
export function settingsOf(agent: AgentInfo): StartSettings {
  const { workspace, isolation } = agent.metadata;
  const parsedIsolation = Isolation.safeParse(isolation);
  return {
    ...(typeof workspace === 'string' ? { workspace } : {}),
    ...(parsedIsolation.success ? { isolation: parsedIsolation.data } : {}),
  };
}

/**
 * Marks every supervised local record terminated and stopped: none of their processes
 * belongs to this run. Returns how many it changed.
 */
export function retireStaleRows(registry: Pick<AgentRegistry, 'discover'> & AgentRegistryPort, now: number): number {
  let changed = 0;
  for (const agent of registry.discover({ location: 'local', limit: 100_000 })) {
    const supervision = supervisionOf(agent);
    if (!supervision) continue;
    const live = supervision.state !== 'stopped' && supervision.state !== 'crash-loop';
    if (!live && agent.status === 'terminated') continue;
    const lastExit = live
      ? { code: null, signal: null, reason: 'stopped' as const, at: now, detail: 'ended with the previous run of Switchyard' }
      : supervision.lastExit;
    registry.setStatus({ repo: agent.repo, name: agent.name }, 'terminated', {
      supervision: { ...supervision, state: live ? 'stopped' : supervision.state, pid: null, nextRestartAt: null, lastExit },
    });
    changed++;
  }
  return changed;
}
