/**
 * Filtering agents and grouping them into the Agents view's three ownership bands.
 */
import { PARTICIPANT_TYPE } from '../../../shared/coding.js';
import type { AgentInfo, AgentStatus, Location, Ownership } from '../../../shared/domain.js';

export interface Band {
  ownership: Ownership;
  title: string;
  hint: string;
  agents: AgentInfo[];
}

/** The bands in screen order: the team's agents, then mine, then the ephemeral ones. */
export const BANDS: readonly { ownership: Ownership; title: string; hint: string }[] = [
  { ownership: 'repo', title: 'Team · repo', hint: 'shared by the team: supervisor, merge-queue, review' },
  { ownership: 'user', title: 'Mine · user', hint: 'your own agents, such as your workspace agent' },
  { ownership: 'task', title: 'Workers · task', hint: 'ephemeral workers spawned for one task' },
];

export interface AgentFilter {
  /** Empty: every status. */
  statuses: readonly AgentStatus[];
  location: Location | 'all';
  /** '' : every type. */
  type: string;
  /** Case-insensitive substring of name, type or owner. */
  search: string;
}

export const EMPTY_FILTER: AgentFilter = { statuses: [], location: 'all', type: '', search: '' };

export function isFilterActive(filter: AgentFilter): boolean {
  return filter.statuses.length > 0 || filter.location !== 'all' || filter.type !== '' || filter.search.trim() !== '';
}

/**
 * The person at this desktop (the `user` endpoint: type `person`, local) is not listed as
 * an agent: nothing starts or stops it, and the person meets it as "you" in the
 * conversations and approvals. Other members' persons (`alice.user`) are listed.
 */
export function isOwnPerson(agent: AgentInfo): boolean {
  return agent.type === PARTICIPANT_TYPE && agent.location === 'local';
}

/** How many agents the views list (in `repo`, null: every repo): all but the desktop's own person. */
export function listedCount(agents: Iterable<AgentInfo>, repo: string | null = null): number {
  let count = 0;
  for (const agent of agents) if (!isOwnPerson(agent) && (repo === null || agent.repo === repo)) count += 1;
  return count;
}

/**
 * The agents that pass the filter, in `repo` (null: every repo), sorted by name then
 * repo. Records keep their identity.
 */
export function filterAgents(agents: Iterable<AgentInfo>, filter: AgentFilter, repo: string | null = null): AgentInfo[] {
  const search = filter.search.trim().toLowerCase();
  const statuses = filter.statuses.length > 0 ? new Set(filter.statuses) : null;
  const out: AgentInfo[] = [];
  for (const agent of agents) {
    if (isOwnPerson(agent)) continue;
    if (repo !== null && agent.repo !== repo) continue;
    if (statuses && !statuses.has(agent.status)) continue;
    if (filter.location !== 'all' && agent.location !== filter.location) continue;
    if (filter.type !== '' && agent.type !== filter.type) continue;
    if (!matchesSearch(agent, search)) continue;
    out.push(agent);
  }
  return out.sort(compareAgents);
}

/** An empty search matches everyone; otherwise a substring of name, type or owner. */
function matchesSearch(agent: AgentInfo, search: string): boolean {
  if (search === '') return true;
  return agent.name.toLowerCase().includes(search) || agent.type.toLowerCase().includes(search) || agent.owner.toLowerCase().includes(search);
}

function compareAgents(a: AgentInfo, b: AgentInfo): number {
  return a.name.localeCompare(b.name) || a.repo.localeCompare(b.repo);
}

/** Groups agents into the three bands, always all three, in screen order. */
export function groupIntoBands(agents: readonly AgentInfo[]): Band[] {
  const byOwnership = new Map<Ownership, AgentInfo[]>(BANDS.map((band) => [band.ownership, []]));
  for (const agent of agents) byOwnership.get(agent.ownership)?.push(agent);
  return BANDS.map((band) => ({ ...band, agents: byOwnership.get(band.ownership) ?? [] }));
}

/** The distinct agent types, sorted, for the type filter. */
export function agentTypes(agents: Iterable<AgentInfo>): string[] {
  const types = new Set<string>();
  for (const agent of agents) if (!isOwnPerson(agent)) types.add(agent.type);
  return [...types].sort();
}
