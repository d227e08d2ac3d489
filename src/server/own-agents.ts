/**
 * The agents a coordinator runs itself: the team's manifests (repo-owned, remote) and
 * the workers it spawned.
 *
 * Each tick (after every sweep) it heartbeats the ones whose process is alive, removes
 * workers that finished, and claims team agents that nobody runs — missing, or left
 * unreachable/terminated by a coordinator that went away. Claims are compare-and-set,
 * so of several coordinators exactly one runs each team agent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { AgentInfo } from '../shared/domain.js';
import type { AgentManifest } from '../shared/manifest.js';
import { AgentManifest as AgentManifestSchema } from '../shared/manifest.js';
import { subjects } from '../shared/nats-subjects.js';
import { parseUnknown } from '../shared/parse.js';
import type { CoordinatorConfig } from './config.js';
import type { Logger } from './log.js';
import type { RegistryStore } from './registry-store.js';
import type { AgentRunner, Spawner } from './spawner.js';

export function loadManifest(path: string): AgentManifest {
  return parseUnknown(AgentManifestSchema, JSON.parse(readFileSync(path, 'utf8')), `manifest ${path}`);
}

const claimable = (info: AgentInfo | undefined, instanceId: string) =>
  !info || info.status === 'terminated' || info.status === 'unreachable' || info.instanceId === instanceId;

export class OwnAgents {
  private readonly manifests: AgentManifest[];
  private readonly prefix: string;
  private closed = false;

  constructor(
    private readonly deps: {
      store: RegistryStore;
      clock: Clock;
      instance: string;
      runner: AgentRunner | undefined;
      spawner: Spawner;
      config: CoordinatorConfig;
      served: ReadonlySet<string>;
      log: Logger;
    },
  ) {
    const team = deps.config.team;
    this.manifests = team.manifestDir ? team.agents.map((type) => loadManifest(join(team.manifestDir!, `${type}.json`))) : [];
    this.prefix = `${deps.instance}/`;
  }

  /** Ours: our instance-id prefix and our `coordinator` tag (a tag no member may set, see authorize.ts). */
  private mine(info: AgentInfo): boolean {
    return info.instanceId.startsWith(this.prefix) && info.tags.coordinator === this.deps.instance;
  }

  async tick(): Promise<void> {
    if (this.closed) return;
    await this.deps.runner?.refresh?.();
    await this.heartbeatOwn();
    await this.claimTeam();
  }

  private async heartbeatOwn(): Promise<void> {
    const { store, runner, clock } = this.deps;
    await this.stopRetired();
    const own = [...store.all()].map(({ info }) => info).filter((info) => this.mine(info) && info.status !== 'terminated');
    for (const info of own) {
      if (this.deps.spawner.isStarting(info.repo, info.name)) continue;
      const alive = runner?.alive(info.repo, info.name) ?? false;
      if (alive) {
        await store.mutate(info.repo, info.name, (current) =>
          current && this.mine(current.info)
            ? { put: { ...current.info, lastHeartbeat: clock.now(), status: current.info.status === 'unreachable' ? 'active' : current.info.status } }
            : { keep: true },
        );
      } else if (info.ownership === 'task') {
        // A worker whose process ended has done its task: its record shows it terminated
        // (the Agents view keeps it for a while) and the liveness sweep removes it after
        // `retainTerminatedMs`. Its number is never reused, and nothing restarts it.
        let ended = false;
        await store.mutate(info.repo, info.name, (current) => {
          ended = current !== undefined && this.mine(current.info) && current.info.status !== 'terminated';
          return ended && current
            ? { put: { ...current.info, status: 'terminated', load: { current: 0, max: current.info.load.max }, metadata: { ...current.info.metadata, endedAt: clock.now() } } }
            : { keep: true };
        });
        this.deps.spawner.released();
        if (ended) this.deps.log.info('worker ended', { repo: info.repo, worker: info.name });
      }
    }
  }

  /** Each team agent to run per repo: one named after its type, or `<type>-1` … `<type>-N` by team.replicas. */
  private instances(): Array<{ manifest: AgentManifest; name: string }> {
    const replicas = this.deps.config.team.replicas;
    return this.manifests.flatMap((manifest) => {
      const count = replicas[manifest.type];
      if (count === undefined) return [{ manifest, name: manifest.type }];
      return Array.from({ length: count }, (_, i) => ({ manifest, name: `${manifest.type}-${i + 1}` }));
    });
  }

  /**
   * A worker of ours whose record another coordinator retired (we were cut off long enough
   * to look dead: presence.ts) is stopped, so no process runs that the registry says ended.
   */
  private async stopRetired(): Promise<void> {
    const { store, runner, log } = this.deps;
    if (!runner) return;
    for (const { info } of store.all()) {
      if (!this.mine(info) || info.status !== 'terminated' || info.ownership !== 'task') continue;
      if (info.metadata.orphanOf === undefined || !runner.alive(info.repo, info.name)) continue;
      await runner.stop(info.repo, info.name);
      this.deps.spawner.released();
      log.warn('stopped a worker another coordinator retired while we were away', { repo: info.repo, worker: info.name });
    }
  }

  private async claimTeam(): Promise<void> {
    const { store, runner, clock, log, config } = this.deps;
    if (!runner) return;
    for (const repo of this.deps.served) {
      for (const { manifest, name } of this.instances()) {
        const instanceId = `${this.prefix}${name}`;
        if (runner.alive(repo, name)) continue;
        if (!claimable(store.get(repo, name)?.info, instanceId)) continue;
        let claimed = false;
        const record = await store.mutate(repo, name, (current) => {
          claimed = claimable(current?.info, instanceId);
          if (!claimed) return { keep: true };
          const now = clock.now();
          return {
            put: {
              name,
              type: manifest.type,
              location: 'remote',
              ownership: 'repo',
              repo,
              owner: config.team.owner,
              endpoint: subjects.agentInbox(repo, name),
              instanceId,
              registeredAt: now,
              lastHeartbeat: now,
              status: 'active',
              capabilities: manifest.capabilities,
              tags: { coordinator: this.deps.instance },
              load: { current: 0, max: manifest.maxConcurrentTasks },
              metadata: { description: manifest.description },
              revision: 0,
            },
          };
        });
        if (!claimed || !record) continue;
        try {
          await runner.start(record, {});
          log.info('team agent started', { repo, agent: name, instance: this.deps.instance });
        } catch (error) {
          log.warn('team agent failed to start', { repo, agent: name, error: String(error) });
          await store.mutate(repo, name, (current) =>
            current?.info.instanceId === instanceId ? { put: { ...current.info, status: 'terminated' } } : { keep: true },
          );
        }
      }
    }
  }

  /** Stops our processes and marks their records terminated, so another coordinator can claim them at once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const { store, runner } = this.deps;
    await runner?.close();
    const own = [...store.all()].map(({ info }) => info).filter((info) => this.mine(info));
    for (const info of own) {
      await store
        .mutate(info.repo, info.name, (current) =>
          current && this.mine(current.info)
            ? info.ownership === 'task'
              ? { delete: true }
              : { put: { ...current.info, status: 'terminated' } }
            : { keep: true },
        )
        .catch(() => undefined);
    }
  }
}
