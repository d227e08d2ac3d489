/**
 * Spawn: a task worker with a name unique in its repo (`worker-7`), registered as a
 * task-owned remote agent owned by the caller, and started by the worker runner.
 *
 * A coordinator that runs no workers (no runner: `--no-team`) refuses with
 * WorkersUnavailable rather than answering with a worker that never runs.
 *
 * Uniqueness across several coordinators comes from KV `create`, which fails when the
 * key exists: the loser simply tries the next number.
 */
import type { KV, NatsConnection } from 'nats.ws';
import type { Clock } from '../core/clock.js';
import type { AgentInfo, SpawnRequest, SpawnResponse } from '../shared/domain.js';
import { NotAllowed, WorkersUnavailable } from '../shared/errors.js';
import { subjects } from '../shared/nats-subjects.js';
import { assertAgentQuota, assertMetadataQuota, assertRepoAccess } from './authorize.js';
import type { QuotaSettings } from './config.js';
import { quotaFor } from './config.js';
import type { Identity } from './identities.js';
import type { Logger } from './log.js';
import type { TaskBucket } from './task-bucket.js';
import { agentsHeldBy } from './registry-ops.js';
import type { Presence } from './presence.js';
import type { QuotaQueue } from './quota-queue.js';
import { coordinatorOf } from './presence.js';
import type { RegistryStore } from './registry-store.js';

/** Starts and stops the processes behind agents this coordinator runs. */
export interface AgentRunner {
  /** Starts the process of a registered agent; rejects when it cannot start. */
  start(agent: AgentInfo, context: { task?: string }): Promise<void>;
  stop(repo: string, name: string): Promise<void>;
  /** Whether the process of this agent is alive (its heartbeat is written while it is). */
  alive(repo: string, name: string): boolean;
  close(): Promise<void>;
  /** The coordinator's connection, once it has one (inboxes, sends), and who owns what. */
  attach?(nc: NatsConnection, context?: RunnerContext): void;
  /** Re-reads the processes' liveness before a tick reads alive(). */
  refresh?(): Promise<void>;
  /** The durable inbox consumers of the agents it runs (the metrics read their lag). */
  consumers?(): Array<{ repo: string; durable: string }>;
}

/** What a runner needs from the coordinator to check and stamp senders (sender-check.ts). */
export interface RunnerContext {
  /** The owner the team registry records for an agent. */
  ownerOf(repo: string, name: string): string | undefined;
  /** True on a server-token deployment (no NATS users), where senders cannot be authenticated. */
  anonymousAllowed: boolean;
  /** Counts a message to (`in`) or from (`out`) one of its agents (coordinator-metrics.ts). */
  countMessage?(direction: 'in' | 'out', outcome: 'delivered' | 'published' | 'rejected' | 'failed'): void;
  /** The team registry's records, for role dispatch of the runner's agents' sends (team-dispatch.ts). */
  agents?(): Iterable<AgentInfo>;
  /** Calls `listener` after any registry record changes; parked role sends are retried then. */
  onRegistryChange?(listener: () => void): void;
  /** The team's tasks bucket: tasks the runner's agents request are tracked and written there. */
  tasks?: TaskBucket;
}

export const WORKER_TYPE = 'worker';
const encoder = new TextEncoder();
const WORKER_NAME = /^worker-(\d+)$/;

/** A requester's id for one spawn request, kept on its worker so a retry finds it (`metadata.spawnRequestId`). */
export function spawnRequestIdOf(request: SpawnRequest): string | undefined {
  const id = request.metadata.spawnRequestId;
  return typeof id === 'string' && id.length > 0 && id.length <= 128 ? id : undefined;
}

/** The next free worker number in a repo, from the names the registry holds. */
export function nextWorkerNumber(names: Iterable<string>): number {
  let max = 0;
  for (const name of names) {
    const match = WORKER_NAME.exec(name);
    if (match) max = Math.max(max, Number(match[1]));
  }
  return max + 1;
}

export class Spawner {
  constructor(
    private readonly deps: {
      store: RegistryStore;
      clock: Clock;
      served: ReadonlySet<string> | undefined;
      runner: AgentRunner | undefined;
      instance: string;
      maxWorkers: number;
      quotas: QuotaSettings;
      log: Logger;
      /** The coordinators' counter bucket: worker numbers are never reused, even after a worker's record is gone. */
      counters: KV;
      /** Which coordinators are alive: a retried spawn whose first worker was left by a dead one is spawned again. */
      presence?: Pick<Presence, 'alive'>;
      /** Orders a member's quota check and its worker's record after that user's other writes. */
      quotaQueue?: QuotaQueue;
    },
  ) {}

  /** Takes the next worker number of a repo with compare-and-set on its counter. */
  private async takeNumber(repo: string): Promise<number> {
    const key = `worker-seq.${repo}`;
    const floor = nextWorkerNumber(this.deps.store.names(repo));
    for (let attempt = 0; attempt < 20; attempt++) {
      const entry = await this.deps.counters.get(key);
      const held = entry && entry.operation === 'PUT' ? Number(entry.string()) || 0 : 0;
      const next = Math.max(held + 1, floor);
      try {
        if (entry) await this.deps.counters.update(key, encoder.encode(String(next)), entry.revision);
        else await this.deps.counters.create(key, encoder.encode(String(next)));
        return next;
      } catch {
        // Another coordinator took a number at the same moment: read again.
      }
    }
    throw new Error('could not take a worker number');
  }

  private running = 0;
  /** Workers between their registration and their process start: not yet alive, not ended either. */
  private readonly pending = new Set<string>();

  /** Whether this worker is being registered or started right now. */
  isStarting(repo: string, name: string): boolean {
    return this.pending.has(`${repo}.${name}`);
  }

  /** `asTeam`: the team's own agents spawning; maxWorkers bounds them, not a user's quota. */
  async spawn(identity: Identity, repo: string, request: SpawnRequest, options: { asTeam?: boolean } = {}): Promise<SpawnResponse> {
    assertRepoAccess(identity, repo, this.deps.served);
    if (request.repo !== repo) throw new NotAllowed(`spawn for repo "${request.repo}" sent on repo "${repo}"'s subject`);
    // Answering `ok` with a worker nobody runs would lose the task: refuse, so the desktop can fall back.
    if (!this.deps.runner || this.deps.maxWorkers === 0) {
      throw new WorkersUnavailable(`coordinator ${this.deps.instance} runs no workers (started with --no-team or maxWorkers 0)`);
    }
    if (!options.asTeam) {
      const quota = quotaFor(this.deps.quotas, identity.user);
      assertMetadataQuota(request.metadata, quota);
      assertAgentQuota(identity.user, agentsHeldBy(this.deps.store, identity.user), quota);
    }
    const requestId = spawnRequestIdOf(request);
    if (requestId !== undefined) {
      const earlier = await this.earlier(identity, repo, requestId);
      if (earlier) return earlier;
    }
    if (this.running >= this.deps.maxWorkers) return { error: `this coordinator runs its limit of ${this.deps.maxWorkers} workers` };
    // The slot is taken before the first await, so concurrent spawns cannot overshoot the limit.
    this.running++;
    let started = false;
    try {
      for (let attempt = 0; attempt < 100; attempt++) {
        const name = `worker-${await this.takeNumber(repo)}`;
        const key = `${repo}.${name}`;
        this.pending.add(key);
        try {
          const response = await this.register(identity, repo, request, name, options.asTeam ? undefined : quotaFor(this.deps.quotas, identity.user));
          if (!response) continue;
          started = response.error === undefined;
          return response;
        } finally {
          this.pending.delete(key);
        }
      }
      return { error: 'no free worker name found' };
    } finally {
      if (!started) this.running--;
    }
  }

  /**
   * Registers and starts one worker under `name`; undefined when the name was taken.
   * `quota`: a member's, checked again with the record's write, in that user's queue.
   */
  private async register(identity: Identity, repo: string, request: SpawnRequest, name: string, quota?: ReturnType<typeof quotaFor>): Promise<SpawnResponse | undefined> {
    const { store, clock, log } = this.deps;
    let taken = false;
    const now = clock.now();
    const write = () => store.mutate(repo, name, (current) => {
      taken = current !== undefined;
      if (taken) return { keep: true };
      if (quota) assertAgentQuota(identity.user, agentsHeldBy(store, identity.user), quota);
      return {
        put: {
          name,
          type: WORKER_TYPE,
          location: 'remote',
          ownership: 'task',
          repo,
          owner: identity.user,
          endpoint: subjects.agentInbox(repo, name),
          instanceId: `${this.deps.instance}/${name}`,
          registeredAt: now,
          lastHeartbeat: now,
          status: 'active',
          capabilities: [],
          tags: { spawnedBy: request.spawnedBy, coordinator: this.deps.instance },
          load: { current: 0, max: 1 },
          metadata: { ...request.metadata, task: request.task, spawnedBy: request.spawnedBy },
          revision: 0,
        },
      };
    });
    const worker = quota && this.deps.quotaQueue ? await this.deps.quotaQueue.run(identity.user, write) : await write();
    if (taken || !worker) return undefined;
    if (this.deps.runner) {
      try {
        await this.deps.runner.start(worker, { task: request.task });
      } catch (error) {
        await store.mutate(repo, name, (current) => (current ? { put: { ...current.info, status: 'terminated' } } : { keep: true }));
        log.warn('worker failed to start', { repo, worker: name, error: String(error) });
        return { workerName: name, location: 'remote', error: `worker ${name} failed to start: ${String(error)}` };
      }
    }
    // Marked started: a retry of this request (its reply lost) answers with this worker.
    await store
      .mutate(repo, name, (current) =>
        current && current.info.status !== 'terminated' ? { put: { ...current.info, metadata: { ...current.info.metadata, startedAt: clock.now() } } } : { keep: true },
      )
      .catch((error: unknown) => log.warn('could not mark a worker started', { repo, worker: name, error: String(error) }));
    log.info('worker spawned', { repo, worker: name, spawnedBy: request.spawnedBy, user: identity.user });
    return { workerName: name, location: 'remote', endpoint: worker.endpoint };
  }

  /**
   * The worker of an earlier try of the same request (same `spawnRequestId`, same user):
   * its answer once it has started; undefined when there is none, or when the coordinator
   * that was starting it is gone (its record is retired, and the caller spawns anew).
   * While a living coordinator is still starting it, waits, up to `waitMs`.
   */
  private async earlier(identity: Identity, repo: string, requestId: string, waitMs = 10_000): Promise<SpawnResponse | undefined> {
    const { store, clock, presence } = this.deps;
    for (let waited = 0; ; waited += 100) {
      const found = [...store.all()].find(
        ({ info }) => info.repo === repo && info.owner === identity.user && info.metadata.spawnRequestId === requestId && info.status !== 'terminated',
      );
      if (!found) return undefined;
      const info = found.info;
      const coordinator = coordinatorOf(info);
      const ours = coordinator === this.deps.instance;
      if (info.metadata.startedAt !== undefined || (ours && !this.isStarting(repo, info.name))) {
        return { workerName: info.name, location: 'remote', endpoint: info.endpoint };
      }
      if (coordinator !== undefined && !ours && presence && !presence.alive(coordinator)) {
        await store.mutate(repo, info.name, (current) =>
          current && current.info.status !== 'terminated' && current.info.metadata.startedAt === undefined
            ? { put: { ...current.info, status: 'terminated', metadata: { ...current.info.metadata, endedAt: clock.now(), orphanOf: coordinator } } }
            : { keep: true },
        );
        this.deps.log.info('a retried spawn replaces the worker a gone coordinator never started', { repo, worker: info.name, coordinator });
        continue;
      }
      if (waited >= waitMs) return { error: `worker ${info.name} of this request is still being started by coordinator ${coordinator ?? 'unknown'}` };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A worker this coordinator ran has ended. */
  released(): void {
    this.running = Math.max(0, this.running - 1);
  }
}
