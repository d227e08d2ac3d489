/**
 * Where `agents.start` of a type runs, as the Start panel says it before the start and
 * the core decides it: one rule for both (docs/configuration.md, "Where agents run").
 */
import type { HybridConfig } from './config.js';
import { placementOf } from './ownership.js';

/**
 * `local`: started on this machine. `remote`: a spawn request to the team.
 * `remote-or-local`: a spawn request to the team, started here instead while the team
 * cannot be reached (fallbackToLocal).
 */
export type StartPlacement = 'local' | 'remote' | 'remote-or-local';

/** The config fields the rule reads: the renderer's config view has them too. */
export type PlacementConfig = Pick<HybridConfig, 'enabled' | 'localAgentTypes' | 'remoteAgentTypes' | 'fallbackToLocal'>;

export function startPlacementOf(type: string, config: PlacementConfig): StartPlacement {
  if (placementOf(type, config) === 'local') return 'local';
  return config.fallbackToLocal ? 'remote-or-local' : 'remote';
}
