/**
 * What a supervised agent writes to the registry: its name, ownership, endpoint,
 * capabilities and the supervision summary the UI reads from metadata.
 */
import type { Supervision } from '../../shared/agent-protocol.js';
import type { AgentStatus } from '../../shared/domain.js';
import { ownershipOf } from '../../shared/ownership.js';
import type { RegistrationInput } from '../registry/index.js';
import type { AgentRun } from './agent-handshake.js';

/** One run of an agent as it stands now. */
export interface AgentSnapshot extends AgentRun {
  owner: string;
  pid: number | null;
  capabilities: string[];
  supervision: Supervision;
  status: AgentStatus;
}

/** The registry record of `agent`, registered on start and hello, refreshed on each change. */
export function agentRegistration(agent: AgentSnapshot): RegistrationInput {
  const { manifest } = agent.loaded;
  return {
    name: agent.name,
    type: manifest.type,
    location: 'local',
    ownership: ownershipOf(manifest.type),
    repo: agent.repo,
    owner: agent.owner,
    endpoint: `stdio:${agent.pid ?? ''}`,
    instanceId: agent.instanceId,
    capabilities: agent.capabilities,
    load: { current: 0, max: manifest.maxConcurrentTasks },
    // heartbeatIntervalMs: the registry's own sweep then judges this agent by its manifest.
    // workspace/isolation: the UI lists the agent's worktrees from them.
    metadata: {
      supervision: agent.supervision,
      heartbeatIntervalMs: manifest.healthCheck.intervalMs,
      ...(agent.settings?.workspace !== undefined ? { workspace: agent.settings.workspace } : {}),
      ...(agent.settings?.isolation !== undefined ? { isolation: agent.settings.isolation } : {}),
    },
    status: agent.status,
  };
}
