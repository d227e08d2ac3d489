/**
 * The team's blackboard on the coordinator: the `sy-context` KV bucket, the one writer
 * of it. A write is a request (service.ts, endpoint `context`); the writer comes from
 * the token's identity and, for `as`, from the team registry, never from the body; the
 * write rules (src/core/blackboard/write-rules.ts) decide. Expired keys are deleted by
 * a sweep (nats-server 2.9 has no per-message TTL); readers already treat them as gone.
 */
import type { KV, KvEntry, NatsConnection, QueuedIterator } from 'nats.ws';
import type { Clock } from '../core/clock.js';
import { ensureKvBucket } from '../core/remote/index.js';
import type { ContextWriter, TaskParties } from '../core/blackboard/index.js';
import { assertMayWrite, assertValueSize, encodeEnvelope, entryOfKv, personWriter } from '../core/blackboard/index.js';
import type { ContextEntry } from '../shared/blackboard.js';
import type { ContextSetRequest } from '../shared/coordinator-protocol.js';
import { ContextWriteDenied } from '../shared/errors.js';
import { CONTEXT_BUCKET, CONTEXT_HISTORY, contextKvKey } from '../shared/nats-subjects.js';
import { assertMayChange, assertRepoAccess } from './authorize.js';
import type { Identity } from './identities.js';
import type { Logger } from './log.js';
import type { RegistryStore } from './registry-store.js';

export interface ContextBucketOptions {
  store: RegistryStore;
  clock: Clock;
  served: ReadonlySet<string> | undefined;
  log: Logger;
  /** Replicas of the bucket (the coordinator's `stream.replicas`; discovered from the cluster when absent). */
  replicas?: number;
  /**
   * The parties of a task, once the team's task store exists. Until then `task/<id>/`
   * keys are open to anyone in the repo, like `shared/` (docs/blackboard.md).
   */
  tasks?: (repo: string, id: string) => TaskParties | undefined;
}

/** The newest revision of each key and when it expires: what the sweep needs. */
interface Expiry {
  revision: number;
  expiresAt: number | null;
}

export class ContextBucket {
  private readonly expiries = new Map<string, Expiry>();
  private watcher: QueuedIterator<KvEntry> | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly kv: KV,
    private readonly options: ContextBucketOptions,
  ) {}

  /** Creates the bucket (or binds to it) and follows it for the sweep. */
  static async open(nc: NatsConnection, options: ContextBucketOptions): Promise<ContextBucket> {
    const kv = await ensureKvBucket(nc, CONTEXT_BUCKET, { history: CONTEXT_HISTORY }, { replicas: options.replicas, log: options.log });
    const bucket = new ContextBucket(kv, options);
    await bucket.follow();
    return bucket;
  }

  private async follow(): Promise<void> {
    let ready!: () => void;
    const initialized = new Promise<void>((resolve) => (ready = resolve));
    const watcher = await this.kv.watch({ initializedFn: () => ready() });
    this.watcher = watcher;
    void (async () => {
      for await (const entry of watcher) {
        const held = this.expiries.get(entry.key);
        if (held && held.revision >= entry.revision) continue;
        this.expiries.set(entry.key, { revision: entry.revision, expiresAt: entry.operation === 'PUT' ? (entryOfKv(entry)?.expiresAt ?? null) : null });
      }
    })().catch((error: unknown) => this.options.log.error('context watch ended', { error: String(error) }));
    await initialized;
  }

  /** After a reconnect the server may have lost the watch's consumer: follow the bucket afresh. */
  async resync(): Promise<void> {
    this.watcher?.stop();
    await this.follow();
  }

  /** Writes one key for `identity`, or throws ContextWriteDenied (nothing written). */
  async set(identity: Identity, repo: string, request: ContextSetRequest): Promise<ContextEntry> {
    const { store, clock, served } = this.options;
    assertRepoAccess(identity, repo, served);
    assertValueSize(request.value);
    const writer = this.writerOf(identity, repo, request.as);
    const tasks = this.options.tasks;
    assertMayWrite(writer, request.key, {
      ownerOf: (agent) => store.get(repo, agent)?.info.owner,
      ...(tasks ? { task: (id: string) => tasks(repo, id) } : {}),
    });
    const now = clock.now();
    const deleted = request.value === null;
    const expiresAt = !deleted && request.ttlMs !== undefined ? now + request.ttlMs : null;
    const revision = await this.kv.put(contextKvKey(repo, request.key), encodeEnvelope({ value: request.value, writer: writer.name, updatedAt: now, expiresAt, ...(deleted ? { deleted } : {}) }));
    return { repo, key: request.key, value: request.value, writer: writer.name, revision, updatedAt: now, expiresAt, operation: deleted ? 'delete' : 'put' };
  }

  /** The writer behind a request: the token's person, or one of its agents (`as`) in the registry. */
  private writerOf(identity: Identity, repo: string, as: string | undefined): ContextWriter {
    if (as === undefined) return { kind: 'person', name: personWriter(identity.user), user: identity.user, team: identity.role === 'admin' };
    const agent = this.options.store.get(repo, as)?.info;
    if (!agent || agent.status === 'terminated') throw new ContextWriteDenied(`there is no agent "${as}" in repo "${repo}" to write as`);
    try {
      assertMayChange(identity, agent);
    } catch {
      throw new ContextWriteDenied(`user "${identity.user}" may not write as agent "${as}"`);
    }
    return { kind: 'agent', name: as, user: agent.owner, team: agent.ownership === 'repo' };
  }

  /**
   * Deletes keys whose newest revision has expired, each with compare-and-set on that
   * revision: a key rewritten meanwhile (or swept by another coordinator) is left alone.
   */
  async sweep(): Promise<number> {
    const now = this.options.clock.now();
    let deleted = 0;
    for (const [key, { revision, expiresAt }] of this.expiries) {
      if (expiresAt === null || expiresAt > now) continue;
      try {
        await this.kv.delete(key, { previousSeq: revision });
        deleted++;
      } catch (error) {
        this.options.log.info('context sweep skipped a key that changed', { key, error: String(error) });
      }
      // Either way the watch brings the newest revision; until then, do not try again.
      const held = this.expiries.get(key);
      if (held?.revision === revision) held.expiresAt = null;
    }
    return deleted;
  }

  /** Runs the sweep every `intervalMs` until close. */
  startSweep(intervalMs: number): void {
    let running = false;
    this.sweepTimer = setInterval(() => {
      if (running) return;
      running = true;
      this.sweep()
        .catch((error: unknown) => this.options.log.warn('context sweep failed', { error: String(error) }))
        .finally(() => (running = false));
    }, intervalMs);
    this.sweepTimer.unref();
  }

  close(): void {
    clearInterval(this.sweepTimer);
    this.watcher?.stop();
  }
}
