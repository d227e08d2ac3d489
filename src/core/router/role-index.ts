/**
 * The registry's records per repo, kept in memory for role sends.
 *
 * Reading a role's instances from SQLite costs ~30 µs a row (a discovery query and a
 * JSON parse per record): 7 ms for 250 instances, far over a dispatch's budget. So the
 * first role send in a repo reads the repo once, and the registry's change batches keep
 * the copy current after that. The batches arrive on the next macrotask, so a record
 * registered a moment ago may be missing: `refresh` re-reads the repo, and the
 * dispatcher calls it before saying no instance is free.
 */
import type { AgentsChanged } from '../../shared/contract.js';
import type { AgentInfo } from '../../shared/domain.js';
import type { AgentRegistry } from '../registry/index.js';

/** Repos kept at once; the least recently used is dropped past this. */
const MAX_REPOS = 64;

export class RoleIndex {
  private readonly repos = new Map<string, Map<string, AgentInfo>>();
  private readonly stop: () => void;

  constructor(private readonly registry: Pick<AgentRegistry, 'discover' | 'onChange'>) {
    this.stop = registry.onChange((batch) => this.apply(batch));
  }

  /** Every record of the repo. */
  all(repo: string): AgentInfo[] {
    return [...this.records(repo).values()];
  }

  /** The instances of a type, or of agents offering a capability. */
  role(repo: string, role: { type: string } | { capability: string }): AgentInfo[] {
    const out: AgentInfo[] = [];
    for (const agent of this.records(repo).values()) {
      if ('type' in role ? agent.type === role.type : agent.capabilities.includes(role.capability)) out.push(agent);
    }
    return out;
  }

  /** Reads the repo again from the registry. */
  refresh(repo: string): void {
    this.repos.delete(repo);
  }

  close(): void {
    this.stop();
    this.repos.clear();
  }

  private records(repo: string): Map<string, AgentInfo> {
    let records = this.repos.get(repo);
    if (records) {
      // Re-inserting keeps the Map in recency order for the eviction below.
      this.repos.delete(repo);
      this.repos.set(repo, records);
      return records;
    }
    records = new Map(this.registry.discover({ repo }).map((agent) => [agent.name, agent]));
    if (this.repos.size >= MAX_REPOS) {
      const oldest = this.repos.keys().next().value;
      if (oldest !== undefined) this.repos.delete(oldest);
    }
    this.repos.set(repo, records);
    return records;
  }

  private apply(batch: AgentsChanged): void {
    for (const agent of batch.upserts) this.repos.get(agent.repo)?.set(agent.name, agent);
    for (const ref of batch.removals) this.repos.get(ref.repo)?.delete(ref.name);
  }
}
