/**
 * Which coordinators are alive, and what happens to the agents of one that is not.
 *
 * Each coordinator writes `instance.<instance>` in the coordinators' bucket on every
 * sweep (the time it swept) and deletes it when it stops; every coordinator watches those
 * keys. One whose key is older than five sweep intervals (at least 3 s), or gone, has
 * died — killed with -9, its machine lost, or cut off from NATS.
 *
 * Its workers' processes went with it (an agent exits when its stdin closes), so the
 * survivors' sweeps retire their records at once: a task worker is marked terminated (the
 * sweep deletes it after the retention time), a team agent unreachable so the next
 * coordinator claims and restarts it. Without this a worker spawned by the dead one
 * would show `active` until its heartbeat went stale, pointing at nothing.
 */
import type { KV, KvEntry, QueuedIterator } from 'nats.ws';
import type { Clock } from '../core/clock.js';
import type { AgentInfo } from '../shared/domain.js';
import type { LivenessSettings } from './config.js';
import type { Logger } from './log.js';
import type { RegistryStore } from './registry-store.js';

const PREFIX = 'instance.';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The key of a coordinator's presence; an instance name may hold dots and dashes, not `*` or `>`. */
export function presenceKey(instance: string): string {
  return `${PREFIX}${instance.replace(/[^A-Za-z0-9_=-]/g, '_')}`;
}

/** The coordinator that runs an agent: its `coordinator` tag, when its instance id is that coordinator's. */
export function coordinatorOf(info: AgentInfo): string | undefined {
  const coordinator = info.tags.coordinator;
  return coordinator && info.instanceId.startsWith(`${coordinator}/`) ? coordinator : undefined;
}

export class Presence {
  private readonly seen = new Map<string, number>();
  private watcher: QueuedIterator<KvEntry> | undefined;
  private readonly staleAfterMs: number;

  private constructor(
    private readonly kv: KV,
    private readonly instance: string,
    private readonly clock: Clock,
    settings: LivenessSettings,
  ) {
    this.staleAfterMs = Math.max(5 * settings.sweepIntervalMs, 3_000);
  }

  /** Announces this coordinator and starts watching the others. */
  static async start(kv: KV, instance: string, clock: Clock, settings: LivenessSettings, log: Logger): Promise<Presence> {
    const presence = new Presence(kv, instance, clock, settings);
    await presence.beat();
    let ready!: () => void;
    const initialized = new Promise<void>((resolve) => (ready = resolve));
    const watcher = await kv.watch({ key: `${PREFIX}>`, initializedFn: () => ready() });
    presence.watcher = watcher;
    void (async () => {
      for await (const entry of watcher) presence.absorb(entry);
    })().catch((error: unknown) => log.warn('presence watch ended', { error: String(error) }));
    await initialized;
    return presence;
  }

  private absorb(entry: KvEntry): void {
    if (entry.operation !== 'PUT') {
      this.seen.delete(entry.key);
      return;
    }
    const at = Number(decoder.decode(entry.value));
    if (Number.isFinite(at)) this.seen.set(entry.key, at);
  }

  /** Written on every sweep. */
  async beat(): Promise<void> {
    const now = this.clock.now();
    await this.kv.put(presenceKey(this.instance), encoder.encode(String(now)));
    this.seen.set(presenceKey(this.instance), now);
  }

  /** Whether a coordinator has announced itself within the stale time. */
  alive(instance: string): boolean {
    if (instance === this.instance) return true;
    const at = this.seen.get(presenceKey(instance));
    return at !== undefined && this.clock.now() - at < this.staleAfterMs;
  }

  /** On a clean stop: the others need not wait for the stale time. */
  async leave(): Promise<void> {
    this.watcher?.stop();
    await this.kv.delete(presenceKey(this.instance)).catch(() => undefined);
  }
}

/**
 * The sweep's part for dead coordinators: their agents in the served repos are retired
 * (task workers terminated, team agents unreachable so they are claimed again).
 * Compare-and-set, so a coordinator that came back and heartbeated in between wins.
 */
export async function retireOrphans(
  store: RegistryStore,
  presence: Presence,
  clock: Clock,
  served: ReadonlySet<string> | undefined,
  log: Logger,
): Promise<number> {
  const orphaned = (info: AgentInfo) => {
    const coordinator = coordinatorOf(info);
    if (coordinator === undefined || info.status === 'terminated' || presence.alive(coordinator)) return false;
    // A team agent already unreachable waits for its claim (own-agents.ts); nothing to write.
    return info.ownership === 'task' || info.status !== 'unreachable';
  };
  const due = [...store.all()].filter(({ info }) => (!served || served.has(info.repo)) && orphaned(info));
  let retired = 0;
  for (const { info } of due) {
    let done = false;
    await store.mutate(info.repo, info.name, (current) => {
      done = current !== undefined && orphaned(current.info);
      if (!current || !done) return { keep: true };
      if (current.info.ownership === 'task') {
        const metadata = { ...current.info.metadata, endedAt: clock.now(), orphanOf: coordinatorOf(current.info) };
        return { put: { ...current.info, status: 'terminated', load: { current: 0, max: current.info.load.max }, metadata } };
      }
      return { put: { ...current.info, status: 'unreachable' } };
    });
    if (done) {
      retired++;
      log.info('retired an agent of a coordinator that is gone', { repo: info.repo, agent: info.name, coordinator: coordinatorOf(info) });
    }
  }
  return retired;
}
