/**
 * The agent calls that change what the user wants running: `agents.start` placed by the
 * hybrid config, and start, stop, restart and scale remembered in the desired state, so
 * the next launch starts the same agents; plus the per-repo autostart types.
 *
 * They wrap the local-agent handlers (src/core/agents): the supervisor still does the
 * starting; this records the user's word once it succeeded.
 */
import type { AgentInfo } from '../../shared/domain.js';
import { AgentStartFailed, UnknownAgentType } from '../../shared/errors.js';
import { startPlacementOf } from '../../shared/start-placement.js';
import type { HybridConfig } from '../../shared/config.js';
import type { AgentCallName } from '../agents/index.js';
import { settingsOf } from '../agents/index.js';
import type { Clock } from '../clock.js';
import type { Handlers } from '../dispatch.js';
import type { DesiredAgents } from './desired-store.js';
import type { RemoteStartDeps } from './remote-start.js';
import { startRemote } from './remote-start.js';

export type DesiredCallName = 'agents.start' | 'agents.stop' | 'agents.restart' | 'agents.scale' | 'autostart.get' | 'autostart.set';

export interface DesiredHandlerDeps {
  /** The local-agent handlers (agentHandlers of src/core/agents). */
  local: Pick<Handlers, AgentCallName>;
  desired: DesiredAgents;
  config: () => HybridConfig;
  remote: RemoteStartDeps;
  clock: Clock;
  /** Whether a manifest of the type is installed here. */
  hasManifest(type: string): boolean;
}

export function desiredHandlers(deps: DesiredHandlerDeps): Pick<Handlers, DesiredCallName> {
  const { local, desired, clock } = deps;
  const remember = (info: AgentInfo): AgentInfo => {
    if (info.location === 'local') desired.started({ repo: info.repo, name: info.name, type: info.type, ...settingsOf(info) }, clock.now());
    return info;
  };
  const view = (repo: string | undefined) => {
    const chosen = repo ?? deps.config().repo;
    return { repo: chosen, types: desired.autostart(chosen) };
  };
  return {
    'agents.start': async (input) => {
      if (startPlacementOf(input.type, deps.config()) !== 'local') {
        if (input.workspace !== undefined) {
          throw new AgentStartFailed(
            `"${input.type}" runs on the team by the hybrid config, so a folder on this machine cannot be its workspace: list the type under local types in Settings to run it here`,
          );
        }
        // The team's to keep: a remote start is not part of this desktop's desired state.
        return startRemote(deps.remote, input.type, input.name);
      }
      return remember(await local['agents.start'](input));
    },
    'agents.stop': async (input) => {
      const info = await local['agents.stop'](input);
      desired.stopped(info.repo, info.name, clock.now());
      return info;
    },
    'agents.restart': async (input) => remember(await local['agents.restart'](input)),
    'agents.scale': async (input) => {
      const running = await local['agents.scale'](input);
      const now = clock.now();
      const repo = deps.config().repo;
      const kept = new Set(running.map((info) => info.name));
      for (const info of running) remember(info);
      for (const row of desired.list(repo)) {
        if (row.type === input.type && row.wanted === 'running' && !kept.has(row.name)) desired.stopped(repo, row.name, now);
      }
      return running;
    },
    'autostart.get': (input) => view(input.repo),
    'autostart.set': (input) => {
      const repo = input.repo ?? deps.config().repo;
      if (input.enabled) {
        if (!deps.hasManifest(input.type)) throw new UnknownAgentType(input.type);
        if (startPlacementOf(input.type, deps.config()) !== 'local') {
          throw new AgentStartFailed(`"${input.type}" runs on the team by the hybrid config: only local types start by themselves`);
        }
      }
      desired.setAutostart(repo, input.type, input.enabled, clock.now());
      return view(repo);
    },
  };
}
