/**
 * Builds the local mirror of one repo from the team registry in KV.
 *
 * A watch of `<repo>.>` delivers the current values and then every change, each with
 * its revision (the KV stream sequence). Each value is parsed here, once (see
 * mirror-translate.ts), and changes are applied in batches while the watch goes on —
 * one registry transaction per batch, latest value per key — so a 10,000-agent snapshot
 * costs a few transactions, not 10,000, and little more time than the watch itself.
 *
 * Resume: after a reconnect the watch starts at the revision after the last one applied.
 * That is safe while the bucket still holds every change since then: the bucket is the
 * same one (creation time), its last sequence is not behind ours, and it expires
 * nothing (max age 0; the coordinator keeps delete markers). Otherwise the mirror
 * resyncs fully: a fresh snapshot, and remote records the snapshot lacks are removed.
 */
import type { KV, KvEntry, NatsConnection, QueuedIterator } from 'nats.ws';
import type { RegistryStatusReply } from '../../shared/coordinator-protocol.js';
import { REGISTRY_BUCKET, registryKey, registryRepoFilter } from '../../shared/nats-subjects.js';
import type { AgentRef } from '../../shared/registry-query.js';
import type { AgentRegistry, RemoteRecord } from '../registry/index.js';
import { translateEntry } from './mirror-translate.js';

export interface MirrorSyncOptions {
  repo: string;
  desktopId: string;
  registry: AgentRegistry;
  /** Most changes applied in one registry transaction. */
  batchSize?: number;
  /**
   * The bucket's status for the resume check. A member asks the coordinator
   * (remote-link.ts): its NATS permissions do not include the bucket's stream info.
   * Without it the mirror reads the stream info itself. A failure means a full resync.
   */
  bucketStatus?: (nc: NatsConnection) => Promise<RegistryStatusReply>;
  log?: (message: string) => void;
}

export interface SyncStart {
  mode: 'resume' | 'full';
  /** Resolves once the mirror holds everything the bucket held when the watch began. */
  caughtUp: Promise<void>;
}

export class MirrorSync {
  private watcher: QueuedIterator<KvEntry> | undefined;
  private stopped = false;
  /** Remembered across reconnects: a different creation time means a new bucket. */
  private knownBucketCreated: string | undefined;
  /** Malformed entries seen (for tests and diagnostics). */
  malformed = 0;

  constructor(private readonly options: MirrorSyncOptions) {}

  /** Starts watching; the returned promise settles when the watch is established. */
  async start(nc: NatsConnection): Promise<SyncStart> {
    const { registry, repo } = this.options;
    this.watcher?.stop();
    this.stopped = false;
    const kv = await nc.jetstream().views.kv(REGISTRY_BUCKET, { bindOnly: true });
    const last = registry.remoteRevision();
    const mode = (await this.canResume(nc, kv, last)) ? 'resume' : 'full';
    let resolveCaughtUp!: () => void;
    const caughtUp = new Promise<void>((resolve) => (resolveCaughtUp = resolve));
    let initSignalled = false;
    const watcher = await kv.watch({
      key: registryRepoFilter(repo),
      ...(mode === 'resume' ? { resumeFromRevision: last + 1 } : {}),
      initializedFn: () => (initSignalled = true),
    });
    this.watcher = watcher;
    if (this.stopped) watcher.stop();
    // Nothing to deliver: the watch is initialised before any entry arrives.
    const empty = initSignalled && watcher.getReceived() === 0;
    if (empty) resolveCaughtUp();
    void this.consume(watcher, mode, empty ? undefined : resolveCaughtUp);
    return { mode, caughtUp };
  }

  private async canResume(nc: NatsConnection, kv: KV, last: number): Promise<boolean> {
    let status: RegistryStatusReply;
    try {
      status = this.options.bucketStatus ? await this.options.bucketStatus(nc) : await streamStatus(kv);
    } catch (error) {
      this.options.log?.(`registry status unavailable, resyncing in full: ${String(error)}`);
      return false;
    }
    const sameBucket = this.knownBucketCreated === undefined || this.knownBucketCreated === status.created;
    this.knownBucketCreated = status.created;
    return last > 0 && sameBucket && status.lastSeq >= last && status.maxAgeMs === 0;
  }

  /**
   * Applies the watch while it arrives, so SQLite works on one part of the snapshot while
   * the server sends the next, instead of after the whole of it.
   *
   * Entries queue in arrival (revision) order. Whatever has arrived is applied on the next
   * turn of the event loop (setImmediate: after the I/O that delivered it, including the
   * JetStream flow-control replies that let the server send more), in transactions of at
   * most `batchSize` contiguous entries, so the revision each records is never ahead of an
   * entry still queued. At the end of the initial values (delta 0) everything queued is
   * applied at once, then `caughtUp`. Live changes queue the same way: a desktop of a
   * team of 1,000 agents heartbeating every 2 s gets ~500 changes a second, each with
   * delta 0, and a transaction for each cost more than the rest of the mirror; all that
   * arrived in one turn go in one transaction instead (one change-feed batch).
   */
  private async consume(watcher: QueuedIterator<KvEntry>, mode: 'resume' | 'full', caughtUp: (() => void) | undefined): Promise<void> {
    const batchSize = this.options.batchSize ?? 2_000;
    // A full snapshot must drop records the bucket lost; a mirror that held none has nothing to drop.
    const hadRemote = this.options.registry.discover({ repo: this.options.repo, location: 'remote', limit: 1 }).length > 0;
    const seen = mode === 'full' && hadRemote ? new Set<string>() : undefined;
    const live = () => !this.stopped && watcher === this.watcher;
    let queue: KvEntry[] = [];
    let scheduled: NodeJS.Immediate | undefined;
    /** Applies what is queued; a stopped watch applies nothing more. */
    const applyQueued = () => {
      const entries = queue;
      queue = [];
      for (let start = 0; start < entries.length && live(); start += batchSize) {
        this.apply(entries.slice(start, start + batchSize));
      }
    };
    const pump = () => {
      scheduled = undefined;
      try {
        applyQueued();
      } catch (error) {
        this.options.log?.(`registry watch ended: ${String(error)}`);
        watcher.stop();
      }
    };
    try {
      for await (const entry of watcher) {
        if (!live()) break;
        queue.push(entry);
        seen?.add(entry.key);
        // delta is the consumer's pending count after this entry: 0 means caught up.
        if (entry.delta === 0 && caughtUp) {
          if (scheduled) clearImmediate(scheduled);
          scheduled = undefined;
          applyQueued();
          if (seen) this.removeMissing(seen, entry.revision);
          caughtUp();
          caughtUp = undefined;
        } else {
          scheduled ??= setImmediate(pump);
        }
      }
    } catch (error) {
      this.options.log?.(`registry watch ended: ${String(error)}`);
    } finally {
      if (scheduled) clearImmediate(scheduled);
    }
  }

  /** Applies contiguous entries: the latest value per key, as one registry transaction. */
  private apply(entries: readonly KvEntry[]): void {
    const { registry, repo, desktopId } = this.options;
    const revision = entries[entries.length - 1]!.revision;
    const latest = new Map<string, KvEntry>();
    for (const entry of entries) latest.set(entry.key, entry);
    const upserts: RemoteRecord[] = [];
    const removals: AgentRef[] = [];
    const malformed: string[] = [];
    for (const entry of latest.values()) {
      const change = translateEntry(entry, repo, desktopId);
      if (change.kind === 'upsert') upserts.push(change.info);
      else if (change.kind === 'remove') {
        // Never let a remote delete remove one of this desktop's own local agents.
        if (registry.get({ repo: change.repo, name: change.name })?.location !== 'local') {
          removals.push({ repo: change.repo, name: change.name });
        }
      } else if (change.reason === 'malformed') malformed.push(entry.key);
    }
    // Parsed by translateEntry, so the registry need not parse them again.
    registry.applyRemoteParsed(upserts, revision);
    if (removals.length > 0) registry.removeRemote(removals, revision);
    if (malformed.length > 0) {
      this.malformed += malformed.length;
      this.options.log?.(`ignored ${malformed.length} malformed registry entries: ${malformed.slice(0, 5).join(', ')}`);
    }
  }

  /** After a full snapshot: remote records of the repo that the bucket no longer holds. */
  private removeMissing(seen: Set<string>, revision: number): void {
    const { registry, repo } = this.options;
    const stale = registry
      .discover({ repo, location: 'remote' })
      .filter((info) => !seen.has(registryKey(info.repo, info.name)))
      .map((info) => ({ repo: info.repo, name: info.name }));
    if (stale.length > 0) registry.removeRemote(stale, revision);
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.stop();
  }
}

/** The bucket's status read from its stream info (a credential that may read it). */
async function streamStatus(kv: KV): Promise<RegistryStatusReply> {
  const info = (await kv.status()).streamInfo;
  return { created: info.created, lastSeq: info.state.last_seq, maxAgeMs: (info.config.max_age ?? 0) / 1e6 };
}
