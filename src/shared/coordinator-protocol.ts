/**
 * The coordinator's request/reply protocol: what desktops and agents send to register,
 * deregister, heartbeat and spawn, and what comes back.
 *
 * The caller's credential travels in the `Sy-Token` header as a derived value
 * (src/core/sy-token.ts; never the token itself), never in a body, so a body can be
 * logged or traced without leaking it. The repo is the subject's repo token; a body
 * never names a repo the subject does not, the owner of an agent is decided by the
 * coordinator from the token and its ownership from its type, never read from the body.
 * Every reply is the result envelope of contract.ts.
 */
import { z } from 'zod';
import { ContextKey } from './blackboard.js';
import type { Result } from './contract.js';
import { ResultSchema } from './contract.js';
import {
  AgentInfo,
  AgentLoad,
  AgentName,
  AgentStatus,
  AgentType,
  Capabilities,
  Endpoint,
  InstanceId,
  Location,
  Ownership,
  SpawnRequest,
  SpawnResponse,
  Tags,
} from './domain.js';
import { TaskRecord } from './tasks.js';

/** Statuses a caller may report; `unreachable` and `terminated` are the sweep's to set. */
export const ReportedStatus = z.enum(['active', 'idle', 'busy']);
export type ReportedStatus = z.infer<typeof ReportedStatus>;

/**
 * Register (or re-register) one agent.
 *
 * Idempotent on `instanceId`: the same instance registering again updates its record.
 * There is no `owner` field on purpose; `.strict()` turns one into a ValidationError.
 */
export const RegisterRequest = z
  .object({
    name: AgentName,
    type: AgentType,
    location: Location,
    /**
     * Decides nothing: the coordinator takes ownership from the type (ownershipOf). Kept
     * so a client may say what it expects; a value that disagrees is a ValidationError.
     */
    ownership: Ownership.optional(),
    endpoint: Endpoint.default(''),
    instanceId: InstanceId,
    capabilities: Capabilities.default([]),
    tags: Tags.default({}),
    load: AgentLoad.default({ current: 0, max: 1 }),
    metadata: z.record(z.string(), z.unknown()).default({}),
    status: ReportedStatus.default('active'),
  })
  .strict();
export type RegisterRequest = z.infer<typeof RegisterRequest>;
export type RegisterRequestInput = z.input<typeof RegisterRequest>;
export const RegisterReply = AgentInfo;

export const DeregisterRequest = z
  .object({
    name: AgentName,
    /** When given, only that instance's record is removed (a stale instance cannot remove a newer one). */
    instanceId: InstanceId.optional(),
  })
  .strict();
export type DeregisterRequest = z.infer<typeof DeregisterRequest>;
export const DeregisterReply = z.object({ removed: z.boolean() });
export type DeregisterReply = z.infer<typeof DeregisterReply>;

/**
 * A heartbeat, as a request on the heartbeat subject or a plain publish there.
 *
 * The agent name is the subject's last token; the body only adds load and status.
 */
export const HeartbeatRequest = z
  .object({
    instanceId: InstanceId.optional(),
    load: AgentLoad.optional(),
    status: ReportedStatus.optional(),
  })
  .strict();
export type HeartbeatRequest = z.infer<typeof HeartbeatRequest>;
export const HeartbeatReply = z.object({ status: AgentStatus, lastHeartbeat: z.number() });
export type HeartbeatReply = z.infer<typeof HeartbeatReply>;

/** Spawn: the body is the domain's SpawnRequest; its repo must be the subject's repo. */
export const CoordinatorSpawnRequest = SpawnRequest.strict();
export const SpawnReply = SpawnResponse;

/**
 * The registry bucket's identity and position, which a desktop's mirror needs to decide
 * whether it can resume a watch (docs/nats.md, Resume and resync). Asked of the
 * coordinator: a member may not read the bucket's stream info itself, whose per-subject
 * counts would list every repo's agent names.
 */
export const RegistryStatusRequest = z.object({}).strict();
export const RegistryStatusReply = z
  .object({
    /** The bucket's creation time: a different one means a new bucket. */
    created: z.string().min(1),
    lastSeq: z.number().int().nonnegative(),
    /** 0: nothing expires. */
    maxAgeMs: z.number().nonnegative(),
  })
  .strict();
export type RegistryStatusReply = z.infer<typeof RegistryStatusReply>;

/**
 * A blackboard write (docs/blackboard.md). The writer is the token's user, or with `as`
 * one of that user's agents in the team registry (an admin: a repo-owned one too); the
 * body never names a user. `value: null` deletes the key.
 */
export const ContextSetRequest = z
  .object({
    key: ContextKey,
    value: z.json().nullable(),
    ttlMs: z.number().int().min(100).max(31_536_000_000).optional(),
    as: AgentName.optional(),
  })
  .strict();
export type ContextSetRequest = z.infer<typeof ContextSetRequest>;

/**
 * `tasks.put`: a desktop writes one of its tasks to the team's tasks bucket. The
 * coordinator checks the caller owns the task's requester (and the record it replaces).
 */
export const TaskPutRequest = TaskRecord;
export const TaskPutReply = z.object({ revision: z.number().int().nonnegative() });
export type TaskPutReply = z.infer<typeof TaskPutReply>;

/** The endpoints of the coordinator's NATS service, by name. */
export const CoordinatorEndpoint = z.enum(['register', 'deregister', 'heartbeat', 'spawn', 'status', 'context', 'taskPut']);
export type CoordinatorEndpoint = z.infer<typeof CoordinatorEndpoint>;

/** The reply of any endpoint, before its value is parsed. */
export const CoordinatorReply = ResultSchema;
export type CoordinatorReply<T> = Result<T>;

/** The metadata tag that names the desktop instance a local agent runs on. */
export const DESKTOP_TAG = 'desktop';
