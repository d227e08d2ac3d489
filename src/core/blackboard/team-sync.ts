/**
 * The desktop's copy of the team's blackboard: a watch of `<repo>.>` in the `sy-context`
 * bucket (every kept revision, so history reads work offline too), each entry handed to
 * `absorb`. Like the registry mirror (src/core/remote/mirror-sync.ts) it starts on every
 * link-up and stops on link-down; the bucket may not exist until a coordinator has run,
 * so it retries until it does.
 *
 * A replayed revision is ignored by the store, so a full watch after each reconnect is
 * correct; it costs at most 16 revisions per key.
 */
import type { KvEntry, NatsConnection, QueuedIterator } from 'nats.ws';
import { KvWatchInclude } from 'nats.ws';
import type { ContextEntry } from '../../shared/blackboard.js';
import { CONTEXT_BUCKET, registryRepoFilter } from '../../shared/nats-subjects.js';
import { entryOfKv } from './kv-envelope.js';

export interface TeamSyncOptions {
  absorb(entries: ContextEntry[]): void;
  log(message: string): void;
}

export class TeamContextSync {
  private watchers: QueuedIterator<KvEntry>[] = [];
  private generation = 0;

  constructor(private readonly options: TeamSyncOptions) {}

  /** Watches each repo over `nc`; a later start or stop ends this one. */
  start(nc: NatsConnection, repos: readonly string[]): void {
    this.stop();
    const generation = this.generation;
    for (const repo of repos) void this.watchRepo(nc, repo, generation);
  }

  private async watchRepo(nc: NatsConnection, repo: string, generation: number): Promise<void> {
    for (let attempt = 0; generation === this.generation && !nc.isClosed(); attempt++) {
      try {
        const kv = await nc.jetstream().views.kv(CONTEXT_BUCKET, { bindOnly: true });
        const watcher = await kv.watch({ key: registryRepoFilter(repo), include: KvWatchInclude.AllHistory });
        if (generation !== this.generation) return watcher.stop();
        this.watchers.push(watcher);
        for await (const kvEntry of watcher) {
          const entry = entryOfKv(kvEntry);
          if (entry && entry.repo === repo) this.options.absorb([entry]);
          else if (!entry) this.options.log(`ignored a malformed blackboard entry: ${kvEntry.key}`);
        }
        return;
      } catch (error) {
        if (generation !== this.generation || nc.isClosed()) return;
        this.options.log(`team blackboard not available yet: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * 2 ** Math.min(attempt, 4))));
      }
    }
  }

  stop(): void {
    this.generation++;
    for (const watcher of this.watchers) watcher.stop();
    this.watchers = [];
  }
}
