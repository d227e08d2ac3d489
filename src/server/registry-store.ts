/**
 * The team registry in JetStream KV, as the coordinator sees it: a cache fed by a watch
 * of the whole bucket, and compare-and-set writes so several coordinators (and their
 * sweeps) never overwrite each other's newer write.
 */
import type { KV, KvEntry, NatsConnection, QueuedIterator } from 'nats.ws';
import { ensureKvBucket } from '../core/remote/index.js';
import type { AgentInfo } from '../shared/domain.js';
import { AgentInfo as AgentInfoSchema } from '../shared/domain.js';
import { NATS_JSON_LIMITS, parseJsonText } from '../shared/json-limits.js';
import { REGISTRY_BUCKET, parseRegistryKey, registryKey } from '../shared/nats-subjects.js';
import type { Logger } from './log.js';

export interface CachedAgent {
  info: AgentInfo;
  revision: number;
}

/** What a mutation decides: write this record, delete the key, or leave it. */
export type Mutation = { put: AgentInfo } | { delete: true } | { keep: true };

const encoder = new TextEncoder();
const MAX_ATTEMPTS = 5;

/** True for the JetStream error of a compare-and-set that lost (wrong last sequence / key exists). */
function isCasConflict(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /wrong last sequence|key exists|10071|10164/i.test(message);
}

export class RegistryStore {
  private readonly cache = new Map<string, CachedAgent>();
  /** Revisions of deletes, so a lagging watch cannot bring a deleted record back. */
  private readonly tombstones = new Map<string, number>();
  private watcher: QueuedIterator<KvEntry> | undefined;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly kv: KV,
    private readonly log: Logger,
  ) {}

  /** Creates the bucket (or binds to the existing one) and loads the cache. */
  static async open(nc: NatsConnection, options: { history: number; log: Logger; replicas?: number }): Promise<RegistryStore> {
    const kv = await ensureKvBucket(nc, REGISTRY_BUCKET, { history: options.history }, { replicas: options.replicas, log: options.log });
    const status = await kv.status();
    if (status.history !== options.history) {
      options.log.warn('registry bucket exists with a different history; keeping it', {
        bucket: REGISTRY_BUCKET,
        history: status.history,
        wanted: options.history,
      });
    }
    const store = new RegistryStore(kv, options.log);
    await store.startWatch();
    return store;
  }

  /**
   * Watches the whole bucket: the current values first, then every change.
   *
   * On a resync (after a reconnect: the server may have lost our ephemeral consumer),
   * keys the fresh snapshot no longer holds are dropped from the cache.
   */
  private async startWatch(resync = false): Promise<void> {
    let ready!: () => void;
    const initialized = new Promise<void>((resolve) => (ready = resolve));
    let seen: Set<string> | undefined = resync ? new Set() : undefined;
    const watcher = await this.kv.watch({ initializedFn: () => ready() });
    this.watcher = watcher;
    void (async () => {
      for await (const entry of watcher) {
        seen?.add(entry.key);
        this.absorb(entry);
      }
    })().catch((error: unknown) => this.log.error('registry watch ended', { error: String(error) }));
    await initialized;
    if (seen) {
      for (const key of [...this.cache.keys()]) if (!seen.has(key)) this.cache.delete(key);
      seen = undefined;
    }
  }

  /** Restarts the watch and reconciles the cache with the bucket. */
  async resync(): Promise<void> {
    this.watcher?.stop();
    await this.startWatch(true);
  }

  /** Calls `listener` after each change the cache takes (role dispatch retries its parked sends then). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Takes one entry into the cache unless the cache already holds a newer one. */
  private absorb(entry: KvEntry): void {
    if (this.take(entry)) this.changed();
  }

  private take(entry: KvEntry): boolean {
    const held = this.cache.get(entry.key);
    if (held && held.revision >= entry.revision) return false;
    if ((this.tombstones.get(entry.key) ?? 0) >= entry.revision) return false;
    if (entry.operation !== 'PUT') {
      this.cache.delete(entry.key);
      this.tombstones.set(entry.key, entry.revision);
      return true;
    }
    this.tombstones.delete(entry.key);
    const parsed = AgentInfoSchema.safeParse(safeJson(entry.value));
    if (!parsed.success) {
      this.log.warn('ignoring a malformed registry value', { key: entry.key });
      return false;
    }
    this.cache.set(entry.key, { info: { ...parsed.data, revision: entry.revision }, revision: entry.revision });
    return true;
  }

  get(repo: string, name: string): CachedAgent | undefined {
    return this.cache.get(registryKey(repo, name));
  }

  all(): IterableIterator<CachedAgent> {
    return this.cache.values();
  }

  /** Names held in a repo (including terminated ones) — for unique worker names. */
  names(repo: string): string[] {
    const names: string[] = [];
    for (const key of this.cache.keys()) {
      const parsed = parseRegistryKey(key);
      if (parsed?.repo === repo) names.push(parsed.name);
    }
    return names;
  }

  /**
   * Reads the current record, lets `decide` choose, and writes with compare-and-set;
   * on a lost race it re-reads from the server and decides again.
   *
   * Returns the record written (with its new revision), or undefined for a delete/keep.
   */
  async mutate(repo: string, name: string, decide: (current: CachedAgent | undefined) => Mutation): Promise<AgentInfo | undefined> {
    const key = registryKey(repo, name);
    let current = this.cache.get(key);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const mutation = decide(current);
      try {
        if ('keep' in mutation) return current?.info;
        if ('delete' in mutation) {
          if (!current) return undefined;
          await this.kv.delete(key, { previousSeq: current.revision });
          this.cache.delete(key);
          this.changed();
          return undefined;
        }
        const data = encoder.encode(JSON.stringify({ ...mutation.put, revision: 0 }));
        const revision = current ? await this.kv.update(key, data, current.revision) : await this.kv.create(key, data);
        const info = { ...mutation.put, revision };
        this.absorbWritten(key, info, revision);
        return info;
      } catch (error) {
        if (!isCasConflict(error)) throw error;
        current = await this.fetch(key);
      }
    }
    throw new Error(`registry key ${key} kept changing; gave up after ${MAX_ATTEMPTS} attempts`);
  }

  private absorbWritten(key: string, info: AgentInfo, revision: number): void {
    const held = this.cache.get(key);
    if (!held || held.revision < revision) {
      this.cache.set(key, { info, revision });
      this.changed();
    }
  }

  /** The server's current value of a key, bypassing the cache (after a lost race). */
  private async fetch(key: string): Promise<CachedAgent | undefined> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT') {
      this.cache.delete(key);
      return undefined;
    }
    this.absorb(entry);
    return this.cache.get(key);
  }

  close(): void {
    this.watcher?.stop();
  }
}

function safeJson(value: Uint8Array): unknown {
  try {
    return parseJsonText(value, NATS_JSON_LIMITS, 'registry value');
  } catch {
    return undefined;
  }
}
