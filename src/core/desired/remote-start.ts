/**
 * `agents.start` of a type the hybrid config places remote: a spawn request to the team
 * (the router's spawn placement, preferring `remote`), answered with the agent's record
 * once the registry mirror holds it, so the caller sees it as the remote agent it is.
 *
 * While the team cannot be reached and fallbackToLocal is on, the placement starts the
 * agent here instead (route `fallback`), under the name asked for and with no task.
 */
import type { HybridConfig } from '../../shared/config.js';
import type { AgentInfo } from '../../shared/domain.js';
import { SpawnFailed } from '../../shared/errors.js';
import { ownershipOf } from '../../shared/ownership.js';
import type { SpawnOutcome } from '../../shared/routing-contract.js';
import type { Clock } from '../clock.js';
import type { AgentRegistry } from '../registry/index.js';

/** How long the record of a spawned remote agent is waited for in the mirror. */
export const MIRROR_WAIT_MS = 5_000;

export interface RemoteStartDeps {
  config: () => HybridConfig;
  spawn(input: {
    type: string;
    task: string;
    repo: string;
    spawnedBy: string;
    preferLocation: 'remote';
    metadata: Record<string, unknown>;
    start: { name?: string };
  }): Promise<SpawnOutcome>;
  registry: Pick<AgentRegistry, 'get' | 'onChange'>;
  clock: Clock;
  mirrorWaitMs?: number;
}

export async function startRemote(deps: RemoteStartDeps, type: string, name: string | undefined): Promise<AgentInfo> {
  const repo = deps.config().repo;
  const outcome = await deps.spawn({
    type,
    task: `start a ${type} agent${name ? ` named ${name}` : ''}`,
    repo,
    spawnedBy: 'user',
    preferLocation: 'remote',
    metadata: { startedBy: 'agents.start', ...(name ? { requestedName: name } : {}) },
    start: { name },
  });
  const ref = { repo, name: outcome.workerName };
  const record = await waitForRecord(deps, ref, deps.mirrorWaitMs ?? MIRROR_WAIT_MS);
  if (record) return record;
  if (outcome.location === 'local') throw new SpawnFailed(`"${outcome.workerName}" started but has no registry record`);
  // The team took it; its record has not reached the mirror yet (it will, by the watch).
  const now = deps.clock.now();
  return {
    name: outcome.workerName,
    type,
    location: 'remote',
    ownership: ownershipOf(type),
    repo,
    owner: '',
    endpoint: outcome.endpoint,
    instanceId: `pending/${outcome.workerName}`,
    registeredAt: now,
    lastHeartbeat: now,
    status: 'idle',
    capabilities: [],
    tags: {},
    load: { current: 0, max: 1 },
    metadata: { note: 'spawned by the team; its record has not reached this desktop yet' },
    revision: 0,
  };
}

/** The record once the mirror holds it, or undefined after `ms`. */
function waitForRecord(deps: RemoteStartDeps, ref: { repo: string; name: string }, ms: number): Promise<AgentInfo | undefined> {
  const now = deps.registry.get(ref);
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const done = (value: AgentInfo | undefined): void => {
      clearTimeout(timer);
      stop();
      resolve(value);
    };
    const stop = deps.registry.onChange((batch) => {
      if (batch.upserts.some((agent) => agent.repo === ref.repo && agent.name === ref.name)) done(deps.registry.get(ref));
    });
    const timer = setTimeout(() => done(deps.registry.get(ref)), ms);
    timer.unref();
  });
}
