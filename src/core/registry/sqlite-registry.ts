/**
 * The local registry mirror on SQLite: every agent the desktop can see, local and remote.
 *
 * This module composes the pieces and is the parsing boundary: every operation parses
 * its input with zod first (a ValidationError, nothing written), then runs as one
 * transaction. The rules are written down in docs/registry.md.
 */
import type { Database } from 'better-sqlite3';
import type { AgentsChanged } from '../../shared/contract.js';
import type { AgentInfo, AgentLoad, AgentStatus } from '../../shared/domain.js';
import { Timestamp } from '../../shared/domain.js';
import { NoAgentAvailable, assertNever } from '../../shared/errors.js';
import { parseUnknown } from '../../shared/parse.js';
import type { AgentQuery, AgentRef, SelectionStrategy } from '../../shared/registry-query.js';
import type { Clock } from '../clock.js';
import { AgentStore } from './agent-store.js';
import { ChangeFeed } from './change-feed.js';
import { LivenessSweeper, resolveLiveness } from './liveness.js';
import { changeStatus, deregisterAgent, recordHeartbeat, registerAgent } from './local-writes.js';
import type { WriteContext } from './local-writes.js';
import { QueryRunner } from './query-builder.js';
import * as input from './registry-input.js';
import { RegistryWriter } from './registry-writer.js';
import { applyRemoteRecords, removeRemoteRecords } from './remote-sync.js';
import type { AgentRow } from './row-mapping.js';
import { rowToAgent } from './row-mapping.js';
import { RotationCursors, availabilityScore, pickMostAvailable, rotationKey } from './selection.js';
import type { AgentRegistry, LivenessPolicy, RegistrationInput } from './types.js';

export interface SqliteRegistryOptions {
  clock: Clock;
  /** Overrides of the liveness defaults (DEFAULT_LIVENESS). */
  liveness?: Partial<LivenessPolicy>;
  /**
   * How often the registry sweeps by itself, in milliseconds; `false` for never (tests
   * that drive sweep() with an injected clock). Default 1000. The timer does not keep the
   * process alive and stops once the database is closed.
   */
  sweepEveryMs?: number | false;
}

/** The SQLite registry: the AgentRegistry plus what its owner needs to manage it. */
export interface SqliteRegistry extends AgentRegistry {
  /** The liveness policy in force, defaults filled in. */
  readonly liveness: LivenessPolicy;
  /** Stops the sweep timer and delivers pending changes; the database stays open. */
  close(): void;
}

/**
 * Opens the registry on a database migrated to version 2 or later.
 *
 * One registry per database: it keeps the revision in memory between operations.
 */
export function createSqliteRegistry(db: Database, options: SqliteRegistryOptions): SqliteRegistry {
  const { clock } = options;
  const liveness = resolveLiveness(options.liveness);
  const store = new AgentStore(db);
  // The feed reads the revision when a batch goes out, which is always after construction.
  const feed: ChangeFeed = new ChangeFeed((): number => writer.currentRevision());
  const writer: RegistryWriter = new RegistryWriter(db, store, feed);
  const ctx: WriteContext = { store, writer };
  const queries = new QueryRunner(db);
  const sweeper = new LivenessSweeper(db, liveness);
  const cursors = new RotationCursors();
  const parseRef = (ref: unknown): AgentRef => parseUnknown(input.AgentRef, ref, 'agent reference');
  const checkMetadata = (metadata: Record<string, unknown>): Record<string, unknown> =>
    parseUnknown(input.Metadata, metadata, 'metadata');

  const select = (rawQuery: AgentQuery, rawStrategy: SelectionStrategy): AgentInfo => {
    const query = parseUnknown(input.AgentQuery, rawQuery, 'agent query');
    const strategy = parseUnknown(input.SelectionStrategy, rawStrategy, 'selection strategy');
    let row: AgentRow | undefined;
    switch (strategy) {
      case 'least-loaded':
        row = queries.leastLoaded(query);
        break;
      case 'round-robin': {
        const key = rotationKey(query);
        row = queries.nextAfter(query, cursors.get(key));
        if (row) cursors.set(key, { repo: row.repo, name: row.name });
        break;
      }
      case 'availability': {
        const now = clock.now();
        const candidates = queries.candidates(query);
        const best = pickMostAvailable(candidates, (c) =>
          availabilityScore(
            {
              status: c.status,
              load: { current: c.load_current, max: c.load_max },
              lastHeartbeat: c.last_heartbeat,
              heartbeatIntervalMs: c.heartbeat_interval_ms ?? liveness.heartbeatIntervalMs,
            },
            now,
            liveness.failureThreshold,
          ),
        );
        row = candidates[best];
        break;
      }
      default:
        return assertNever(strategy);
    }
    if (!row) throw new NoAgentAvailable({ ...query, strategy });
    return rowToAgent(row);
  };

  const sweep = (rawNow?: number): { unreachable: number; terminated: number; deleted: number } => {
    const now = rawNow === undefined ? clock.now() : parseUnknown(Timestamp, rawNow, 'sweep time');
    return ctx.writer.run((tx) => {
      const changes = sweeper.sweep(now, tx.revision);
      for (const expired of changes.deleted) {
        store.delete(expired.id);
        tx.removed({ repo: expired.repo, name: expired.name });
      }
      for (const row of [...changes.terminated, ...changes.unreachable]) tx.upserted(rowToAgent(row));
      return {
        unreachable: changes.unreachable.length,
        terminated: changes.terminated.length,
        deleted: changes.deleted.length,
      };
    });
  };

  let timer: NodeJS.Timeout | undefined;
  const sweepEveryMs = options.sweepEveryMs ?? 1000;
  if (sweepEveryMs !== false) {
    timer = setInterval(() => {
      if (!db.open) {
        clearInterval(timer);
        return;
      }
      try {
        sweep();
      } catch (error) {
        console.error('[switchyard] registry sweep failed:', error);
      }
    }, sweepEveryMs);
    timer.unref();
  }

  return {
    liveness,
    register: (registration: RegistrationInput) =>
      registerAgent(ctx, parseUnknown(input.RegistrationSchema, registration, 'registration'), clock.now()),
    deregister: (ref: AgentRef) => deregisterAgent(ctx, parseRef(ref)),
    heartbeat: (ref: AgentRef, load?: AgentLoad, status?: AgentStatus) =>
      recordHeartbeat(
        ctx,
        parseRef(ref),
        clock.now(),
        parseUnknown(input.OptionalLoad, load, 'load'),
        parseUnknown(input.OptionalStatus, status, 'status'),
      ),
    setStatus: (ref: AgentRef, status: AgentStatus, metadata?: Record<string, unknown>) =>
      changeStatus(
        ctx,
        parseRef(ref),
        clock.now(),
        parseUnknown(input.AgentStatus, status, 'status'),
        parseUnknown(input.OptionalMetadata, metadata, 'metadata'),
        checkMetadata,
      ),
    get: (ref: AgentRef) => {
      const parsed = parseRef(ref);
      const row = store.find(parsed.repo, parsed.name);
      return row ? rowToAgent(row) : undefined;
    },
    discover: (query?: AgentQuery) =>
      queries.discover(parseUnknown(input.OptionalQuery, query, 'agent query') ?? {}).map(rowToAgent),
    select,
    applyRemote: (records: AgentInfo[], revision: number) =>
      applyRemoteRecords(
        store,
        ctx.writer,
        parseUnknown(input.RemoteRecords, records, 'remote records'),
        parseUnknown(input.RemoteRevision, revision, 'remote revision'),
        clock.now(),
      ),
    // The remote link parsed each record with input.RemoteRecord where its bytes arrived
    // (the brand says so): parsing 10,000 of them again cost more than the watch itself.
    applyRemoteParsed: (records: readonly input.RemoteRecord[], revision: number) =>
      applyRemoteRecords(store, ctx.writer, records, parseUnknown(input.RemoteRevision, revision, 'remote revision'), clock.now()),
    removeRemote: (refs: AgentRef[], revision: number) =>
      removeRemoteRecords(
        store,
        ctx.writer,
        parseUnknown(input.AgentRefs, refs, 'agent references'),
        parseUnknown(input.RemoteRevision, revision, 'remote revision'),
      ),
    sweep,
    revision: () => ctx.writer.currentRevision(),
    remoteRevision: () => ctx.writer.currentRemoteRevision(),
    onChange: (listener: (batch: AgentsChanged) => void) => feed.subscribe(listener),
    close: () => {
      if (timer) clearInterval(timer);
      feed.flush();
    },
  };
}
