/**
 * The desktop's blackboard behind `context.set/get/list`, `context.changed` and the
 * agents' context lines (docs/blackboard.md).
 *
 * With hybrid on, the board is the team's: writes go to the coordinator (which checks
 * the write rules and writes the KV bucket), reads come from the local copy a watch
 * keeps (team-sync.ts), so they work while the link is down. With hybrid off, the board
 * is this desktop's own, in SQLite, and the same rules are checked here. Either way an
 * expired entry is gone to every reader; the owner of the board (the coordinator, or
 * this desktop) sweeps expired keys, which shows as a delete.
 */
import type { Database } from 'better-sqlite3';
import type { NatsConnection } from 'nats.ws';
import type { ContextChanged, ContextEntry, ContextGetInput, ContextListInput, ContextSetInput, ContextValue } from '../../shared/blackboard.js';
import { ContextEntry as ContextEntrySchema } from '../../shared/blackboard.js';
import { ContextWriteDenied, RemoteUnavailable, SwitchyardError } from '../../shared/errors.js';
import { subjects } from '../../shared/nats-subjects.js';
import { wireName } from '../../shared/wire-names.js';
import type { Clock } from '../clock.js';
import type { Handlers } from '../dispatch.js';
import type { AgentRegistry } from '../registry/index.js';
import type { RemoteLink } from '../remote/index.js';
import { CoordinatorError, coordinatorRequest } from '../remote/index.js';
import type { ContextScope } from './context-store.js';
import { ContextStore } from './context-store.js';
import { assertValueSize, isLive } from './kv-envelope.js';
import { TeamContextSync } from './team-sync.js';
import type { ContextWriter, TaskParties } from './write-rules.js';
import { assertMayWrite, personWriter } from './write-rules.js';

/** The writer recorded for this desktop's own sweep of expired local keys. */
export const LOCAL_SWEEP_WRITER = 'switchyard';

export interface BlackboardOptions {
  db: Database;
  clock: Clock;
  registry: Pick<AgentRegistry, 'get'>;
  /** The person at this desktop (the local agents' owner). */
  owner: string;
  /** The hybrid config: on (a coordination URL) means the team's board; its repo is the default. */
  config: () => { enabled: boolean; coordinationUrl: string; repo: string; repos?: string[] | undefined };
  remote: RemoteLink;
  token: () => string | undefined;
  emit: (changed: ContextChanged) => void;
  /** How often expired local keys are swept; 1 s by default. */
  sweepIntervalMs?: number;
  /** The parties of a local task, once a task store exists; until then `task/` is open like `shared/`. */
  tasks?: (repo: string, id: string) => TaskParties | undefined;
  log?: (message: string) => void;
}

interface Watch {
  repo: string;
  prefix: string;
  listener: (entries: ContextEntry[]) => void;
}

const under = (key: string, prefix: string) => prefix === '' || key === prefix || key.startsWith(`${prefix}/`);

export class Blackboard {
  private readonly store: ContextStore;
  private readonly sync: TeamContextSync;
  private readonly watches = new Set<Watch>();
  private pending: ContextEntry[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly stops: (() => void)[] = [];
  /** Between the link's up and down: a connection that is reconnecting takes no writes. */
  private linkUp = false;

  constructor(private readonly options: BlackboardOptions) {
    this.store = new ContextStore(options.db);
    const log = options.log ?? (() => undefined);
    this.sync = new TeamContextSync({ absorb: (entries) => this.absorb('team', entries), log });
    const repos = () => {
      const config = options.config();
      return [...new Set([config.repo, ...(config.repos ?? [])])];
    };
    const up = (nc: NatsConnection) => {
      this.linkUp = true;
      this.sync.start(nc, repos());
    };
    this.stops.push(options.remote.onUp(up));
    this.stops.push(
      options.remote.onDown(() => {
        this.linkUp = false;
        this.sync.stop();
      }),
    );
    const nc = options.remote.connection();
    if (nc) up(nc);
    const timer = setInterval(() => this.sweepLocal(), options.sweepIntervalMs ?? 1_000);
    timer.unref();
    this.stops.push(() => clearInterval(timer));
  }

  /** The team's board while hybrid is on, this desktop's own otherwise. */
  private scope(): ContextScope {
    const config = this.options.config();
    return config.enabled && config.coordinationUrl !== '' ? 'team' : 'local';
  }

  /** Writes (value null: deletes) a key as the person, or `as` a local agent. */
  async set(input: ContextSetInput): Promise<ContextEntry> {
    const repo = input.repo ?? this.options.config().repo;
    assertValueSize(input.value);
    if (input.as !== undefined) this.localAgent(repo, input.as);
    return this.scope() === 'team' ? this.setTeam(repo, input) : this.setLocal(repo, input);
  }

  /** A local agent of this desktop, or ContextWriteDenied: `as` never names someone else's agent. */
  private localAgent(repo: string, name: string) {
    const info = this.options.registry.get({ repo, name });
    if (!info || info.location !== 'local') throw new ContextWriteDenied(`"${name}" is not a local agent of this desktop in repo "${repo}"`);
    return info;
  }

  private async setTeam(repo: string, input: ContextSetInput): Promise<ContextEntry> {
    const nc = this.options.remote.connection();
    if (!nc || !this.linkUp) throw new RemoteUnavailable('the team blackboard is written through the coordinator, and the link is down');
    // On the team a member's agent is `<user>.<name>` (src/shared/wire-names.ts).
    const as = input.as === undefined ? {} : { as: wireName(this.options.remote.natsUser(), input.as) };
    const body = { key: input.key, value: input.value, ...(input.ttlMs !== undefined ? { ttlMs: input.ttlMs } : {}), ...as };
    let entry: ContextEntry;
    try {
      entry = await coordinatorRequest(nc, subjects.contextSet(repo), body, this.options.token(), ContextEntrySchema);
    } catch (error) {
      if (error instanceof CoordinatorError && error.remoteName === 'ContextWriteDenied') throw new ContextWriteDenied(error.message);
      if (error instanceof SwitchyardError) throw error;
      // No answer (a timeout, the link dropping mid-request): nothing is known to be written.
      throw new RemoteUnavailable(`the coordinator did not answer the write: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    this.absorb('team', [entry]);
    return entry;
  }

  private setLocal(repo: string, input: ContextSetInput): ContextEntry {
    const { owner, clock, registry, tasks } = this.options;
    // Hybrid off, the board is the person's own: they hold its admin rights (`repo/`).
    const writer: ContextWriter =
      input.as === undefined
        ? { kind: 'person', name: personWriter(owner), user: owner, team: true }
        : (({ ownership, owner: agentOwner }) => ({ kind: 'agent' as const, name: input.as!, user: agentOwner, team: ownership === 'repo' }))(this.localAgent(repo, input.as));
    assertMayWrite(writer, input.key, {
      ownerOf: (agent) => registry.get({ repo, name: agent })?.owner,
      ...(tasks ? { task: (id: string) => tasks(repo, id) } : {}),
    });
    const now = clock.now();
    const deleted = input.value === null;
    const entry: ContextEntry = {
      repo,
      key: input.key,
      value: input.value,
      writer: writer.name,
      revision: this.store.lastRevisionOf('local') + 1,
      updatedAt: now,
      expiresAt: !deleted && input.ttlMs !== undefined ? now + input.ttlMs : null,
      operation: deleted ? 'delete' : 'put',
    };
    this.absorb('local', [entry]);
    return entry;
  }

  get(input: ContextGetInput): ContextValue {
    const repo = input.repo ?? this.options.config().repo;
    const scope = this.scope();
    const latest = this.store.latest(scope, repo, input.key);
    const entry = latest && isLive(latest, this.options.clock.now()) ? latest : null;
    return { entry, history: input.history ? this.store.history(scope, repo, input.key) : [] };
  }

  list(input: ContextListInput = {}): ContextEntry[] {
    const repo = input.repo ?? this.options.config().repo;
    const now = this.options.clock.now();
    const live = this.store.list(this.scope(), repo, input.prefix ?? '').filter((entry) => isLive(entry, now));
    return input.limit === undefined ? live : live.slice(0, input.limit);
  }

  /** The live entries under a prefix now, then every later change there, batched per tick. */
  watch(repo: string, prefix: string, listener: (entries: ContextEntry[]) => void): { current: ContextEntry[]; stop(): void } {
    const watch: Watch = { repo, prefix, listener };
    this.watches.add(watch);
    return { current: this.list({ repo, prefix }), stop: () => this.watches.delete(watch) };
  }

  /** Stores revisions; the new ones of the board in use become one `context.changed` per tick. */
  private absorb(scope: ContextScope, entries: ContextEntry[]): void {
    const added = this.store.append(scope, entries);
    if (added.length === 0 || scope !== this.scope()) return;
    this.pending.push(...added);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = undefined;
    const entries = this.pending;
    this.pending = [];
    if (entries.length === 0) return;
    this.options.emit({ entries });
    for (const watch of [...this.watches]) {
      const mine = entries.filter((entry) => entry.repo === watch.repo && under(entry.key, watch.prefix));
      if (mine.length === 0) continue;
      try {
        watch.listener(mine);
      } catch (error) {
        this.options.log?.(`blackboard watch failed: ${String(error)}`);
      }
    }
  }

  /** Deletes expired keys of the local board (the team's are the coordinator's to sweep). */
  sweepLocal(): void {
    const now = this.options.clock.now();
    const expired = this.store.expired('local', now);
    if (expired.length === 0) return;
    let revision = this.store.lastRevisionOf('local');
    const deletes = expired.map((entry): ContextEntry => ({ ...entry, value: null, writer: LOCAL_SWEEP_WRITER, revision: ++revision, updatedAt: now, expiresAt: null, operation: 'delete' }));
    this.absorb('local', deletes);
  }

  close(): void {
    for (const stop of this.stops) stop();
    this.sync.stop();
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    this.watches.clear();
  }
}

/** The `context.*` calls of the contract, answered by a board. */
export function contextHandlers(board: Blackboard): Pick<Handlers, 'context.set' | 'context.get' | 'context.list'> {
  return {
    'context.set': (input) => board.set(input),
    'context.get': (input) => board.get(input),
    'context.list': (input) => board.list(input),
  };
}
