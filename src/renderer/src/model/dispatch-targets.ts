/**
 * What a "to" field suggests: every role the registry knows (`type:x` per type,
 * `capability:x` per capability), then every agent's name (src/shared/dispatch.ts).
 */
import { BROADCAST_ALL } from '../../../shared/dispatch.js';

export function targetSuggestions(
  agents: Iterable<{ name: string; type: string; capabilities: readonly string[] }>,
  options: { everyone?: boolean } = {},
): string[] {
  const names = new Set<string>();
  const roles = new Set<string>();
  for (const agent of agents) {
    names.add(agent.name);
    roles.add(`type:${agent.type}`);
    for (const capability of agent.capabilities) roles.add(`capability:${capability}`);
  }
  return [...(options.everyone ? [BROADCAST_ALL] : []), ...[...roles].sort(), ...[...names].sort()];
}

/** Whether a typed target names a role (one or every instance of it) rather than one agent. */
export function targetKind(target: string): 'name' | 'role' | 'everyone' {
  if (target === BROADCAST_ALL) return 'everyone';
  return target.startsWith('type:') || target.startsWith('capability:') ? 'role' : 'name';
}
