/**
 * What the router needs to know of a destination (here or elsewhere, status, fallback),
 * read from the registry mirror and cached.
 *
 * The cache spares every message a registry query. Entries are dropped on each change
 * the registry reports; unknown names are never cached, so a freshly registered agent
 * is found at once.
 */
import type { AgentsChanged } from '../../shared/contract.js';
import type { AgentInfo, Location } from '../../shared/domain.js';
import type { DestinationView } from '../../shared/route-decision.js';
import { destinationKey } from './outbox.js';
import type { AgentDirectory, HostedHere } from './types.js';

const MAX_CACHED = 10_000;

export class DestinationViews {
  private readonly views = new Map<string, DestinationView>();

  constructor(
    private readonly registry: AgentDirectory,
    private readonly hostLocation: Location,
    private readonly hostedHere: HostedHere = (info) => info.location === hostLocation,
    private readonly isFallbackName: (repo: string, name: string) => boolean = () => false,
  ) {}

  view(repo: string, name: string): DestinationView | undefined {
    const key = destinationKey(repo, name);
    let view = this.views.get(key);
    if (!view) {
      const info = this.registry.get({ repo, name });
      if (!info) return undefined;
      view = {
        location: this.hostedHere(info) ? this.hostLocation : otherSide(this.hostLocation),
        status: info.status,
        fallback: isFallback(info),
      };
      if (this.views.size >= MAX_CACHED) this.views.clear();
      this.views.set(key, view);
    }
    return view.fallback || !this.isFallbackName(repo, name) ? view : { ...view, fallback: true };
  }

  /** Drops what a registry batch changed. */
  invalidate(batch: AgentsChanged): void {
    for (const agent of batch.upserts) this.views.delete(destinationKey(agent.repo, agent.name));
    for (const ref of batch.removals) this.views.delete(destinationKey(ref.repo, ref.name));
  }

  /** The agents this process delivers to directly, in a repo (one inbox consumer each). */
  hosted(repo: string): Array<{ repo: string; name: string }> {
    return this.registry
      .discover({ repo })
      .filter((info) => this.hostedHere(info))
      .map((info) => ({ repo: info.repo, name: info.name }));
  }
}

function otherSide(location: Location): Location {
  return location === 'local' ? 'remote' : 'local';
}

/** Agents started locally by spawn fallback may say so in their metadata or tags. */
function isFallback(info: AgentInfo): boolean {
  return info.metadata?.['fallback'] === true || info.tags?.['route'] === 'fallback';
}
