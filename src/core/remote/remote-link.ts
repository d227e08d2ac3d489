/**
 * The desktop's link to the team: one nats.ws connection from the hybrid config, its
 * state for the UI, the registry mirror and this desktop's local agents on the team's
 * registry.
 *
 * Reconnects forever with jittered backoff, except after an authorization failure: a
 * wrong token stays wrong, so the link stops in `auth-failed` and waits for a config
 * change (core.ts restarts it on `config.set`) instead of hammering the server.
 */
import type { NatsConnection } from 'nats.ws';
import { Events, NatsError } from 'nats.ws';
import type { ConnectionPhase } from '../../shared/connection.js';
import type { AgentRegistry } from '../registry/index.js';
import type { BackoffPolicy } from './backoff.js';
import { DEFAULT_BACKOFF, backoffDelay } from './backoff.js';
import { RegistryStatusReply } from '../../shared/coordinator-protocol.js';
import { subjects } from '../../shared/nats-subjects.js';
import { coordinatorRequest } from './coordinator-client.js';
import { LocalPublisher } from './local-publisher.js';
import { MirrorSync } from './mirror-sync.js';
import type { LinkProblem } from './link-problems.js';
import { permissionProblem } from './link-problems.js';
import { connectWs, displayServer, natsAuthOf, natsUserOf } from './nats-ws.js';

export interface LinkTiming {
  /** Client pings; with maxPingOut a dead link is noticed within interval × (maxPingOut + 1). */
  pingIntervalMs: number;
  maxPingOut: number;
  /** nats.ws's own reconnect wait (plus jitter) once a connection existed. */
  reconnectTimeWaitMs: number;
  reconnectJitterMs: number;
  connectTimeoutMs: number;
  heartbeatIntervalMs: number;
  backoff: BackoffPolicy;
}

/** Defaults: a dead link is noticed within 3 s × 3 = 9 s (< 10 s). */
export const DEFAULT_TIMING: LinkTiming = {
  pingIntervalMs: 3_000,
  maxPingOut: 2,
  reconnectTimeWaitMs: 1_000,
  reconnectJitterMs: 1_000,
  connectTimeoutMs: 5_000,
  heartbeatIntervalMs: 2_000,
  backoff: DEFAULT_BACKOFF,
};

/** Tries (about 4 s) before a missing team registry is said aloud. */
const REGISTRY_PATIENCE = 4;

export interface RemoteLinkOptions {
  url: string;
  /** Other servers of the same cluster, tried after `url` (the hybrid config's `servers`). */
  servers?: readonly string[];
  repo: string;
  token: string | undefined;
  registry: AgentRegistry;
  desktopId: string;
  /** Receives every state change (core.ts feeds its ConnectionTracker). */
  onState: (phase: ConnectionPhase, change: { server: string; lastError?: string | null }) => void;
  timing?: Partial<LinkTiming>;
  log?: (message: string) => void;
  /** Refusals and permission violations as data, for the problem centre (src/core/problems). */
  onProblem?: (problem: LinkProblem) => void;
}

export interface RemoteLink {
  /** The live connection, or undefined while down (the router publishes over it). */
  connection(): NatsConnection | undefined;
  /** Called with the connection each time the link comes up (first connect and every reconnect). */
  onUp(listener: (nc: NatsConnection) => void): () => void;
  /** Called with a reason each time the link goes down. */
  onDown(listener: (reason: string) => void): () => void;
  /** Resolves when the mirror has caught up after the latest (re)connect. */
  synced(): Promise<void>;
  /** The NATS user of a `user:secret` credential; undefined for a server token. */
  natsUser(): string | undefined;
  close(): Promise<void>;
}

function isAuthError(error: unknown): boolean {
  return error instanceof NatsError && (error.isAuthError() || error.code === 'AUTHORIZATION_VIOLATION');
}

/** The server's reason in words a user can act on. */
function reasonOf(error: unknown): string {
  if (isAuthError(error)) return `the server refused the token (${(error as NatsError).message}); check the API token in Settings`;
  return error instanceof Error ? error.message : String(error);
}

export function startRemoteLink(options: RemoteLinkOptions): RemoteLink {
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const log = options.log ?? (() => undefined);
  const server = displayServer(options.url);
  const upListeners = new Set<(nc: NatsConnection) => void>();
  const downListeners = new Set<(reason: string) => void>();
  const mirror = new MirrorSync({
    repo: options.repo,
    desktopId: options.desktopId,
    registry: options.registry,
    log,
    // A member's permissions leave out the bucket's stream info (docs/nats.md): ask the coordinator.
    ...(natsUserOf(options.token) !== undefined
      ? { bucketStatus: (conn: NatsConnection) => coordinatorRequest(conn, subjects.registryStatus(options.repo), {}, options.token, RegistryStatusReply) }
      : {}),
  });
  const publisher = new LocalPublisher({
    repo: options.repo,
    desktopId: options.desktopId,
    registry: options.registry,
    token: options.token,
    heartbeatIntervalMs: timing.heartbeatIntervalMs,
    log,
    user: natsUserOf(options.token),
    onProblem: (problem) => problemNow(problem),
    onRegistration: (event) => options.onProblem?.(event),
  });
  let nc: NatsConnection | undefined;
  let closed = false;
  let wake: (() => void) | undefined;
  let syncedPromise: Promise<void> = new Promise(() => undefined);
  let resolveSynced: (() => void) | undefined;
  const resetSynced = () => {
    syncedPromise = new Promise<void>((resolve) => (resolveSynced = resolve));
  };
  resetSynced();

  let phase: ConnectionPhase = 'connecting';
  const state = (next: ConnectionPhase, lastError?: string | null) => {
    phase = next;
    if (!closed) options.onState(next, { server, ...(lastError !== undefined ? { lastError } : {}) });
  };
  /** A refusal while the link stays up: shown as the last error, the phase unchanged. */
  const problemNow = (problem: string) => {
    log(problem);
    state(phase, problem);
  };
  const emit = <T>(listeners: Set<(value: T) => void>, value: T) => {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch (error) {
        log(`link listener failed: ${String(error)}`);
      }
    }
  };

  /** Mirror and registrations for a fresh or restored connection. */
  const up = async (conn: NatsConnection) => {
    state('connected', null);
    emit(upListeners, conn);
    try {
      const started = await startMirror(conn);
      void publisher.attach(conn);
      await started.caughtUp;
      resolveSynced?.();
      options.onProblem?.({ kind: 'registry-synced' });
    } catch (error) {
      log(`mirror sync failed: ${String(error)}`);
    }
  };

  /** The bucket may not exist until a coordinator has run: retry until it does. */
  const startMirror = async (conn: NatsConnection) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await mirror.start(conn);
      } catch (error) {
        if (closed || conn.isClosed() || attempt > 1000) throw error;
        log(`registry not available yet: ${String(error)}`);
        // A few seconds of this is a coordinator starting up; longer, and the person should hear it.
        if (attempt === REGISTRY_PATIENCE) options.onProblem?.({ kind: 'registry-missing', reason: String(error) });
        await sleep(Math.min(5_000, 250 * 2 ** Math.min(attempt, 5)));
      }
    }
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const run = async () => {
    const auth = natsAuthOf(options.token);
    const user = natsUserOf(options.token);
    for (let attempt = 0; !closed; attempt++) {
      state(attempt === 0 ? 'connecting' : 'reconnecting');
      let conn: NatsConnection;
      try {
        conn = await connectWs({
          // The primary first; the others of its cluster when it is gone (nats.ws also learns them from the server).
          servers: [options.url, ...(options.servers ?? [])],
          noRandomize: true,
          ...auth,
          // A member's replies and watch deliveries arrive under its own prefix, so
          // subject permissions can keep one member from reading another's (docs/nats.md).
          ...(user ? { inboxPrefix: `_INBOX_${user}` } : {}),
          name: `switchyard-desktop:${options.desktopId}`,
          maxReconnectAttempts: -1,
          reconnectTimeWait: timing.reconnectTimeWaitMs,
          reconnectJitter: timing.reconnectJitterMs,
          pingInterval: timing.pingIntervalMs,
          maxPingOut: timing.maxPingOut,
          timeout: timing.connectTimeoutMs,
        });
      } catch (error) {
        if (closed) return;
        if (isAuthError(error)) {
          state('auth-failed', reasonOf(error));
          return;
        }
        state('reconnecting', reasonOf(error));
        await sleep(backoffDelay(attempt, timing.backoff));
        continue;
      }
      if (closed) {
        await conn.close();
        return;
      }
      nc = conn;
      attempt = -1;
      void watchStatus(conn);
      await up(conn);
      const error = await conn.closed();
      nc = undefined;
      mirror.stop();
      publisher.detach();
      if (closed) return;
      resetSynced();
      emit(downListeners, error ? reasonOf(error) : 'connection closed');
      if (error && isAuthError(error)) {
        state('auth-failed', reasonOf(error));
        return;
      }
      state('reconnecting', error ? reasonOf(error) : 'connection closed');
      await sleep(backoffDelay(0, timing.backoff));
    }
  };

  const watchStatus = async (conn: NatsConnection) => {
    for await (const status of conn.status()) {
      if (closed || conn !== nc) return;
      if (status.type === Events.Disconnect) {
        mirror.stop();
        publisher.detach();
        resetSynced();
        state('reconnecting', 'lost the connection to the coordination server');
        emit(downListeners, 'disconnected');
      } else if (status.type === Events.Reconnect) {
        void up(conn);
      } else if (status.type === Events.Error && isAuthError(status.data)) {
        state('reconnecting', reasonOf(status.data));
      } else if (status.type === Events.Error) {
        const problem = permissionProblem(status);
        if (problem) {
          problemNow(problem);
          options.onProblem?.({ kind: 'permission', reason: problem });
        }
      }
    }
  };

  void run().catch((error: unknown) => {
    log(`remote link stopped: ${String(error)}`);
    state('disconnected', reasonOf(error));
  });

  return {
    connection: () => (nc && !nc.isClosed() ? nc : undefined),
    onUp(listener) {
      upListeners.add(listener);
      return () => upListeners.delete(listener);
    },
    onDown(listener) {
      downListeners.add(listener);
      return () => downListeners.delete(listener);
    },
    synced: () => syncedPromise,
    natsUser: () => natsUserOf(options.token),
    async close() {
      if (closed) return;
      closed = true;
      wake?.();
      mirror.stop();
      publisher.close();
      const conn = nc;
      nc = undefined;
      if (conn && !conn.isClosed()) await conn.close().catch(() => undefined);
    },
  };
}
