/**
 * The coordinator's spawn rules (its config file's `spawnRules`, docs/tasks.md): the
 * tasks bucket is watched for tasks queued for `type:<type>` (init, nobody assigned), and
 * one SpawnController per served repo starts team agents through the spawner when a rule
 * fires. The coordinator starts workers only, so a rule names type `worker`; any other
 * type is refused when the config is read.
 *
 * Each spawn is logged as a `spawned` event naming the rule: the coordinator keeps no
 * trace store, so its log is the trace.
 */
import type { KvEntry, QueuedIterator } from 'nats.ws';
import type { Clock } from '../core/clock.js';
import { SpawnController } from '../core/tasks/index.js';
import { NATS_JSON_LIMITS, parseJsonText } from '../shared/json-limits.js';
import { TaskRecord } from '../shared/tasks.js';
import type { SpawnRule } from '../shared/work-model.js';
import type { Logger } from './log.js';
import type { RegistryStore } from './registry-store.js';
import type { Spawner } from './spawner.js';
import { WORKER_TYPE } from './spawner.js';
import type { TaskBucket } from './task-bucket.js';

export interface TeamSpawnRulesOptions {
  rules: readonly SpawnRule[];
  bucket: TaskBucket;
  store: RegistryStore;
  /** Repos this coordinator serves (undefined: every repo it sees tasks of). */
  served: ReadonlySet<string> | undefined;
  /** Starts one agent of the type in the repo as the team; resolves with its name. */
  spawn(repo: string, type: string, why: string): Promise<string>;
  clock: Clock;
  log: Logger;
}

export class TeamSpawnRules {
  /** Queued targets per task key, per repo. */
  private readonly queued = new Map<string, Map<string, string>>();
  private readonly controllers = new Map<string, SpawnController>();
  private watcher: QueuedIterator<KvEntry> | undefined;

  constructor(private readonly options: TeamSpawnRulesOptions) {}

  async start(): Promise<void> {
    if (this.options.rules.length === 0) return;
    this.watcher = await this.options.bucket.kv.watch({ key: '>' });
    void this.consume(this.watcher);
  }

  /** Throws SpawnLimitError when an explicit spawn of `type` in the repo would pass its rule's max. */
  assertMaySpawn(repo: string, type: string): void {
    if (this.options.rules.length > 0) this.controller(repo).assertMaySpawn(type);
  }

  /** The spawner as the service should call it: an explicit spawn past a rule's max is refused. */
  guard(spawner: Pick<Spawner, 'spawn'>): Pick<Spawner, 'spawn'> {
    return {
      spawn: (identity, repo, request, options) => {
        this.assertMaySpawn(repo, WORKER_TYPE);
        return spawner.spawn(identity, repo, request, options);
      },
    };
  }

  /** Re-evaluates every repo's rules (the registry changed: an agent may have ended). */
  tick(): void {
    for (const controller of this.controllers.values()) void controller.evaluate();
  }

  close(): void {
    this.watcher?.stop();
    for (const controller of this.controllers.values()) controller.close();
  }

  private async consume(watcher: QueuedIterator<KvEntry>): Promise<void> {
    for await (const entry of watcher) {
      const dot = entry.key.indexOf('.');
      const repo = entry.key.slice(0, dot);
      if (dot <= 0 || (this.options.served && !this.options.served.has(repo))) continue;
      const queued = this.queuedOf(repo);
      const parsed = entry.operation === 'PUT' ? TaskRecord.safeParse(safeJson(entry.value)) : undefined;
      if (parsed?.success && parsed.data.phase === 'init' && parsed.data.assignedTo === null) queued.set(entry.key, parsed.data.target);
      else queued.delete(entry.key);
      void this.controller(repo).evaluate();
    }
  }

  private queuedOf(repo: string): Map<string, string> {
    let queued = this.queued.get(repo);
    if (!queued) {
      queued = new Map();
      this.queued.set(repo, queued);
    }
    return queued;
  }

  private controller(repo: string): SpawnController {
    let controller = this.controllers.get(repo);
    if (controller) return controller;
    const { store, log } = this.options;
    controller = new SpawnController({
      rules: () => this.options.rules,
      queued: (type) => [...this.queuedOf(repo).values()].filter((target) => target === `type:${type}`).length,
      running: (type) => [...store.all()].filter(({ info }) => info.repo === repo && info.type === type && info.status !== 'terminated').length,
      spawn: (type) => this.options.spawn(repo, type, `queued tasks for type:${type}`),
      repo: () => repo,
      clock: this.options.clock,
      traces: {
        open: (trace, hop) => log.info('spawned', { repo: trace.repo, agent: trace.to, rule: hop.detail }),
      },
      where: 'coordinator',
      log: (message) => log.warn(message, { repo }),
    });
    this.controllers.set(repo, controller);
    return controller;
  }
}

/** The rules of a coordinator's config, spawning workers through its spawner as the team. */
export function teamSpawnRules(options: Omit<TeamSpawnRulesOptions, 'spawn'> & { spawner: Pick<Spawner, 'spawn'>; teamOwner: string }): TeamSpawnRules {
  const { spawner, teamOwner, ...rest } = options;
  const team = { user: teamOwner, role: 'admin' as const, repos: ['*'] };
  return new TeamSpawnRules({
    ...rest,
    spawn: async (repo, _type, why) => {
      const response = await spawner.spawn(team, repo, { repo, task: why, spawnedBy: 'spawn-controller', metadata: { spawnRule: true } }, { asTeam: true });
      if (response.error !== undefined || response.workerName === undefined) throw new Error(response.error ?? 'no worker started');
      return response.workerName;
    },
  });
}

function safeJson(data: Uint8Array): unknown {
  try {
    return parseJsonText(data, NATS_JSON_LIMITS, 'task');
  } catch {
    return undefined;
  }
}
