/**
 * The coordinator's request/reply endpoints as one NATS service in the coordinators'
 * queue group: standard tooling finds it through `$SRV.PING/INFO/STATS`, and several
 * coordinators share the requests.
 *
 * Each request: subject → repo, `Sy-Token` → identity, body → zod; the reply is the
 * result envelope. A rejected request gets a typed error and one log line naming the
 * endpoint, repo, user (when known) and error — never the token.
 */
import type { Msg, NatsConnection, Service, ServiceMsg } from 'nats.ws';
import type { Result } from '../shared/contract.js';
import {
  ContextSetRequest,
  CoordinatorSpawnRequest,
  DeregisterRequest,
  HeartbeatRequest,
  RegisterRequest,
  RegistryStatusRequest,
  TaskPutRequest,
} from '../shared/coordinator-protocol.js';
import type { CoordinatorEndpoint } from '../shared/coordinator-protocol.js';
import { toErrorPayload } from '../shared/errors.js';
import {
  COORDINATOR_QUEUE,
  COORDINATOR_SERVICE,
  agentOfHeartbeatSubject,
  headers as H,
  repoOfSubject,
  subjects,
} from '../shared/nats-subjects.js';
import { NATS_JSON_LIMITS, parseJsonText } from '../shared/json-limits.js';
import { parseUnknown } from '../shared/parse.js';
import { RepoName } from '../shared/domain.js';
import { assertRepoAccess } from './authorize.js';
import type { Identities, Identity } from './identities.js';
import type { Logger } from './log.js';
import type { OpsContext } from './registry-ops.js';
import { deregisterAgent, heartbeatAgent, registerAgent } from './registry-ops.js';
import type { Spawner } from './spawner.js';
import type { CoordinatorMetrics } from './coordinator-metrics.js';
import type { ContextBucket } from './context-bucket.js';
import type { TaskBucket } from './task-bucket.js';

const encoder = new TextEncoder();

export interface ServiceDeps {
  ops: OpsContext;
  identities: () => Identities;
  spawner: Pick<Spawner, 'spawn'>;
  /** The team's blackboard, written through the `context` endpoint. */
  context: ContextBucket;
  /** The team's tasks bucket (`tasks.put`). */
  tasks: TaskBucket;
  log: Logger;
  version: string;
  instance: string;
  /** Counts handled requests per endpoint (tests and stats read it). */
  handled: Record<CoordinatorEndpoint, number>;
  /** Requests and spawns by outcome (coordinator-metrics.ts). */
  metrics?: CoordinatorMetrics;
}

function body(msg: Msg): unknown {
  if (msg.data.length === 0) return {};
  return parseJsonText(msg.data, NATS_JSON_LIMITS, 'request');
}

function repoOf(msg: Msg): string {
  return parseUnknown(RepoName, repoOfSubject(msg.subject), 'subject repo');
}

type Handler = (msg: Msg, identity: Identity, repo: string) => Promise<unknown>;

export async function startCoordinatorService(nc: NatsConnection, deps: ServiceDeps): Promise<Service> {
  const { ops, log } = deps;
  const service = await nc.services.add({
    name: COORDINATOR_SERVICE,
    version: deps.version,
    description: 'Switchyard coordinator: team registry, liveness, spawn, tasks, blackboard',
    queue: COORDINATOR_QUEUE,
    metadata: { instance: deps.instance },
  });

  const handlers: Record<CoordinatorEndpoint, { subject: string; run: Handler }> = {
    register: {
      subject: subjects.anyRegister(),
      run: (msg, identity, repo) => registerAgent(ops, identity, repo, parseUnknown(RegisterRequest, body(msg), 'register request')),
    },
    deregister: {
      subject: subjects.anyDeregister(),
      run: (msg, identity, repo) =>
        deregisterAgent(ops, identity, repo, parseUnknown(DeregisterRequest, body(msg), 'deregister request')),
    },
    heartbeat: {
      subject: subjects.allHeartbeats(),
      run: (msg, identity, repo) => {
        const agent = agentOfHeartbeatSubject(msg.subject)?.agent ?? '';
        return heartbeatAgent(ops, identity, repo, agent, parseUnknown(HeartbeatRequest, body(msg), 'heartbeat'));
      },
    },
    status: {
      subject: subjects.anyRegistryStatus(),
      run: async (msg, identity, repo) => {
        parseUnknown(RegistryStatusRequest, body(msg), 'status request');
        assertRepoAccess(identity, repo, ops.served);
        const info = (await ops.store.kv.status()).streamInfo;
        return { created: info.created, lastSeq: info.state.last_seq, maxAgeMs: (info.config.max_age ?? 0) / 1e6 };
      },
    },
    spawn: {
      subject: subjects.anySpawn(),
      run: (msg, identity, repo) => {
        const spawn = () => deps.spawner.spawn(identity, repo, parseUnknown(CoordinatorSpawnRequest, body(msg), 'spawn request'));
        return deps.metrics ? deps.metrics.countSpawn('member', spawn) : spawn();
      },
    },
    context: {
      subject: subjects.anyContextSet(),
      run: (msg, identity, repo) => deps.context.set(identity, repo, parseUnknown(ContextSetRequest, body(msg), 'context request')),
    },
    taskPut: {
      subject: subjects.anyTaskPut(),
      run: async (msg, identity, repo) => {
        const task = parseUnknown(TaskPutRequest, body(msg), 'task');
        assertRepoAccess(identity, repo, ops.served);
        const revision = await deps.tasks.putFor(identity, repo, task, (r, name) => ops.store.get(r, name)?.info.owner);
        return { revision };
      },
    },
  };

  for (const [name, { subject, run }] of Object.entries(handlers) as [CoordinatorEndpoint, { subject: string; run: Handler }][]) {
    service.addEndpoint(name, {
      subject,
      queue: COORDINATOR_QUEUE,
      handler: (error, msg) => {
        if (error) {
          log.error('endpoint failed', { endpoint: name, error: error.message });
          return;
        }
        void handle(name, msg, run);
      },
    });
  }

  async function handle(endpoint: CoordinatorEndpoint, msg: ServiceMsg, run: Handler): Promise<void> {
    let result: Result<unknown>;
    let user: string | undefined;
    let repo: string | undefined;
    const began = performance.now();
    try {
      repo = repoOf(msg);
      const identity = deps.identities().resolve(msg.headers?.get(H.token) || undefined);
      user = identity.user;
      result = { ok: true, value: await run(msg, identity, repo) };
    } catch (error) {
      result = { ok: false, error: toErrorPayload(error) };
      log.warn('request rejected', {
        endpoint,
        repo,
        user,
        error: result.error.name,
        reason: result.error.message,
        instance: deps.instance,
      });
    }
    deps.handled[endpoint]++;
    deps.metrics?.request(endpoint, result.ok ? 'ok' : result.error.name, (performance.now() - began) / 1000);
    if (msg.reply) msg.respond(encoder.encode(JSON.stringify(result)));
  }

  return service;
}
