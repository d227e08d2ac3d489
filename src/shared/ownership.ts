/**
 * Ownership and placement rules: who owns an agent type, and where it runs.
 */
import type { HybridConfig } from './config.js';
import { SOURCE_LOCAL_TYPES, SOURCE_REMOTE_TYPES } from './config.js';
import type { Location, Ownership } from './domain.js';

const REPO_TYPES = new Set(['supervisor', 'merge-queue', 'review', 'reviewer']);
// The person at the desktop and their coding agents are theirs, like the workspace agent.
const USER_TYPES = new Set(['workspace', 'person', 'claude-code', 'codex']);

/**
 * The ownership level of an agent type.
 *
 * Team agents (supervisor, merge-queue, review) are repo-owned; the workspace agent is
 * one developer's; workers and every unknown type are task-scoped and ephemeral.
 */
export function ownershipOf(type: string): Ownership {
  if (REPO_TYPES.has(type)) return 'repo';
  if (USER_TYPES.has(type)) return 'user';
  return 'task';
}

/** The lists in force: the config's own, or the source's when hybrid is on without lists. */
export function effectiveTypeLists(config: Pick<HybridConfig, 'localAgentTypes' | 'remoteAgentTypes'>): {
  local: readonly string[];
  remote: readonly string[];
} {
  const hasLists = config.localAgentTypes.length > 0 || config.remoteAgentTypes.length > 0;
  if (!hasLists) return { local: SOURCE_LOCAL_TYPES, remote: SOURCE_REMOTE_TYPES };
  return { local: config.localAgentTypes, remote: config.remoteAgentTypes };
}

/**
 * Where an agent type runs under a config.
 *
 * Hybrid off: always local. Otherwise the explicit lists decide; a type in neither list
 * runs where its ownership points (repo → remote, user → local, task → remote).
 */
export function placementOf(type: string, config: Pick<HybridConfig, 'enabled' | 'localAgentTypes' | 'remoteAgentTypes'>): Location {
  if (!config.enabled) return 'local';
  const lists = effectiveTypeLists(config);
  if (lists.local.includes(type)) return 'local';
  if (lists.remote.includes(type)) return 'remote';
  return ownershipOf(type) === 'user' ? 'local' : 'remote';
}
