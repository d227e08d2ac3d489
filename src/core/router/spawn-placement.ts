/**
 * Spawning workers where the hybrid config places them.
 *
 * Placement: `preferLocation` when given, else placementOf(type) (docs/configuration.md). Local
 * types start through the local supervisor; remote types go to the coordinator's spawn
 * endpoint (request/reply on `subjects.spawn(repo)`). When the remote cannot be reached
 * and the config allows fallbackToLocal, the worker starts here with route `fallback`;
 * otherwise the caller gets RemoteUnavailable saying what to do. There is no sticky
 * state: every spawn looks at the link afresh, so once the remote is back new spawns go
 * remote again (failback).
 */
import { randomUUID } from 'node:crypto';
import type { NatsConnection } from 'nats.ws';
import { headers as natsHeaders } from 'nats.ws';
import type { HybridConfig } from '../../shared/config.js';
import { ResultSchema } from '../../shared/contract.js';
import { SpawnResponse } from '../../shared/domain.js';
import type { Location, SpawnRequest } from '../../shared/domain.js';
import { RemoteUnavailable, SpawnFailed, SwitchyardError, WorkersUnavailable } from '../../shared/errors.js';
import { headers, subjects } from '../../shared/nats-subjects.js';
import { placementOf } from '../../shared/ownership.js';
import { NATS_JSON_LIMITS, parseJsonText } from '../../shared/json-limits.js';
import { parseUnknown } from '../../shared/parse.js';
import type { SpawnInput, SpawnOutcome } from '../../shared/routing-contract.js';
import { deriveSyToken } from '../sy-token.js';

export const SPAWN_TIMEOUT_MS = 5000;
/** Tries of one spawn request that gets no answer (the first coordinator may have died with it). */
const SPAWN_ATTEMPTS = 2;

const isTimeout = (error: unknown) => (error as { code?: unknown } | undefined)?.code === 'TIMEOUT';

/** Whether the server answers a ping within a second (a lost link would hold it until a reconnect). */
async function answers(conn: NatsConnection): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 1_000)));
  try {
    return await Promise.race([conn.flush().then(() => true, () => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Refusals that mean "the remote cannot run it", as opposed to "you may not". */
const REMOTE_CANNOT_RUN = new Set(['WorkersUnavailable', 'RemoteUnavailable']);

export interface LocalStart {
  (request: {
    type: string;
    repo: string;
    task: string;
    spawnedBy: string;
    fallback: boolean;
    metadata: Record<string, unknown>;
    /** `agents.start` names its agent; a spawn takes the first free name. */
    name?: string;
    /** False for `agents.start`: the agent is started, no task is assigned to it. */
    assign?: boolean;
  }): Promise<{ name: string; endpoint: string }>;
}

export interface SpawnPlacementDeps {
  config: () => HybridConfig;
  connection: () => NatsConnection | undefined;
  /** The API token; its derived value goes in the Sy-Token header (never the token, never in the body). */
  token: () => string | undefined;
  startLocal: LocalStart;
  timeoutMs?: number;
  /** Where to note fallback-started agents (`<repo>/<name>`); the router reads it. */
  fallbackAgents?: Set<string>;
}

type ParsedSpawn = Required<Pick<SpawnInput, 'type' | 'task' | 'spawnedBy' | 'metadata'>> &
  Pick<SpawnInput, 'repo' | 'preferLocation'> & {
    /** An `agents.start` placed by the config: the local fallback gets this name and no task. */
    start?: { name?: string };
  };

export class SpawnPlacement {
  /** Names of agents started by fallback (`<repo>/<name>`), so routes to them say `fallback`. */
  readonly fallbackAgents: Set<string>;

  constructor(private readonly deps: SpawnPlacementDeps) {
    this.fallbackAgents = deps.fallbackAgents ?? new Set();
  }

  /** Where a spawn of `type` would go right now (for the UI, and the decision below). */
  placement(type: string, prefer?: Location): Location {
    const config = this.deps.config();
    if (!config.enabled) return 'local';
    return prefer ?? placementOf(type, config);
  }

  async spawn(input: ParsedSpawn): Promise<SpawnOutcome> {
    const config = this.deps.config();
    const repo = input.repo ?? config.repo;
    const where = this.placement(input.type, input.preferLocation);
    const local = async (fallback: boolean): Promise<SpawnOutcome> => {
      const started = await this.deps.startLocal({
        type: input.type,
        repo,
        task: input.task,
        spawnedBy: input.spawnedBy,
        fallback,
        metadata: input.metadata,
        ...(input.start ? { name: input.start.name, assign: false } : {}),
      });
      if (fallback) this.fallbackAgents.add(`${repo}/${started.name}`);
      return { workerName: started.name, location: 'local', route: fallback ? 'fallback' : 'local', endpoint: started.endpoint };
    };
    if (where === 'local') return local(false);

    const conn = this.deps.connection();
    let unavailable: string;
    let Refusal: typeof RemoteUnavailable = RemoteUnavailable;
    if (conn) {
      try {
        return await this.remote(conn, { repo, task: input.task, spawnedBy: input.spawnedBy, preferLocation: 'remote', metadata: { ...input.metadata, type: input.type } });
      } catch (error) {
        if (!(error instanceof RemoteUnavailable)) throw error;
        unavailable = error.message;
        if (error instanceof WorkersUnavailable) Refusal = WorkersUnavailable;
      }
    } else {
      unavailable = 'the link to the coordination service is down';
    }
    if (config.fallbackToLocal) return local(true);
    throw new Refusal(
      `cannot spawn "${input.type}" remotely: ${unavailable}. Check the connection in Settings, or turn on "fall back to local" to run it on this machine meanwhile`,
    );
  }

  /**
   * One spawn request, tried twice when the first gets no answer in time: the coordinator
   * that took it may have died mid-request, and the queue group gives the retry to
   * another. Both tries carry the same `metadata.spawnRequestId`, so a coordinator that
   * finds a worker already started for it answers with that one instead of a second
   * (src/server/spawner.ts).
   */
  private async request(conn: NatsConnection, subject: string, body: Uint8Array, h: ReturnType<typeof natsHeaders>): Promise<Uint8Array> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await conn.request(subject, body, { timeout: this.deps.timeoutMs ?? SPAWN_TIMEOUT_MS, headers: h })).data;
      } catch (error) {
        // Retried only while the server itself answers: a timeout then means the coordinator, not the link.
        const next = this.deps.connection();
        if (attempt < SPAWN_ATTEMPTS && isTimeout(error) && next && (await answers(next))) {
          conn = next;
          continue;
        }
        // No responders, a timeout, a closed connection: the remote is not there.
        throw new RemoteUnavailable(`the coordinator did not answer (${(error as Error).message})`, { cause: error });
      }
    }
  }

  private async remote(conn: NatsConnection, request: SpawnRequest): Promise<SpawnOutcome> {
    const h = natsHeaders();
    const token = this.deps.token();
    if (token) h.set(headers.token, deriveSyToken(token));
    const body = new TextEncoder().encode(JSON.stringify({ ...request, metadata: { ...request.metadata, spawnRequestId: randomUUID() } }));
    const data = await this.request(conn, subjects.spawn(request.repo), body, h);
    const envelope = parseUnknown(ResultSchema, parseJsonText(data, NATS_JSON_LIMITS, 'spawn reply'), 'spawn reply');
    // A coordinator that runs no workers is, for this spawn, no remote at all: fallback applies.
    if (!envelope.ok && REMOTE_CANNOT_RUN.has(envelope.error.name)) {
      throw new WorkersUnavailable(`the coordinator runs no workers (${envelope.error.message})`);
    }
    if (!envelope.ok) {
      const failure = new SwitchyardError(`the coordinator refused the spawn: ${envelope.error.message}`);
      failure.name = envelope.error.name;
      throw failure;
    }
    const response = parseUnknown(SpawnResponse, envelope.value, 'spawn reply');
    if (response.error || !response.workerName) throw new SpawnFailed(`the coordinator could not spawn: ${response.error ?? 'no worker name'}`);
    return { workerName: response.workerName, location: response.location ?? 'remote', route: 'remote', endpoint: response.endpoint ?? '' };
  }
}
