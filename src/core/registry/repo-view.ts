/**
 * One repo as `repos.list` shows it: its name, whether it is the primary, and how many
 * agents it has on record that are not terminated (what the repo switcher counts).
 */
import type { RepoView } from '../../shared/work-contract.js';
import type { AgentRegistry } from './types.js';

export function repoView(registry: Pick<AgentRegistry, 'discover'>, repo: string, primary: boolean): RepoView {
  const agents = registry.discover({ repo, status: ['active', 'idle', 'busy', 'unreachable'] }).length;
  return { repo, primary, agents };
}
