/**
 * The domain of Switchyard: agents, messages, routes and hops.
 *
 * Every type here is inferred from its zod schema so a value that crossed a boundary
 * and was parsed is, by construction, the type the rest of the code expects.
 */
import { z } from 'zod';

/** Where an agent runs: on the developer's machine or on team infrastructure. */
export const Location = z.enum(['local', 'remote']);
export type Location = z.infer<typeof Location>;

/** Who an agent belongs to: the team (repo), one developer (user) or one task. */
export const Ownership = z.enum(['repo', 'user', 'task']);
export type Ownership = z.infer<typeof Ownership>;

export const AgentStatus = z.enum(['active', 'idle', 'busy', 'unreachable', 'terminated']);
export type AgentStatus = z.infer<typeof AgentStatus>;

// The names and bounds below are the one home of each rule: every schema at every
// boundary (contract, agent protocol, coordinator protocol, registry, config, manifests,
// tokens file, command lines) builds on them, so a value refused at one is refused at
// all, with the same message (test/unit/shared/bounds.test.ts).

/** Agent names and types: 1–128 characters from [A-Za-z0-9._-]. */
export const AgentName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,128}$/, 'use 1–128 characters from A–Z, a–z, 0–9, ".", "_" and "-"');
export const AgentType = AgentName;

/**
 * Repository names: like agent names but without dots.
 *
 * A repo is one token of a NATS subject (`sy.<repo>.inbox.<agent>`), so a dot would
 * make it ambiguous.
 */
export const RepoName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'use 1–128 characters from A–Z, a–z, 0–9, "_" and "-"');

/** A user of the coordinator's tokens file: the same characters as a repo name. */
export const UserName = RepoName;

/** Who owns an agent as the registry records it: a user, or the team. */
export const OwnerName = z.string().min(1).max(128);

/** One agent instance, stable across its reconnects: registration is idempotent on it. */
export const InstanceId = z.string().min(1).max(128);

/** Where an agent can be reached, free-form (empty when nothing to say). */
export const Endpoint = z.string().max(512);

/** One capability an agent offers (`review`, `lang:ts`); discovery filters on them. */
export const Capability = z.string().min(1).max(128);
export const Capabilities = z.array(Capability).max(64);

/** key=value labels of an agent (`region=eu`); discovery filters on them. */
export const TagKey = z.string().min(1).max(128);
export const TagValue = z.string().max(256);
export const Tags = z.record(TagKey, TagValue);

/** The task text of a spawn request. */
export const TaskText = z.string().min(1).max(4096);

/** A finite, non-negative number: loads, durations, counts. */
export const NonNegative = z.number().finite().nonnegative();

export const AgentLoad = z.object({
  current: NonNegative,
  max: NonNegative,
});
export type AgentLoad = z.infer<typeof AgentLoad>;

/** Epoch milliseconds. */
export const Timestamp = z.number().int().nonnegative();

export const AgentInfo = z.object({
  name: AgentName,
  type: AgentType,
  location: Location,
  ownership: Ownership,
  repo: RepoName,
  owner: OwnerName,
  endpoint: Endpoint,
  instanceId: InstanceId,
  registeredAt: Timestamp,
  lastHeartbeat: Timestamp,
  status: AgentStatus,
  capabilities: Capabilities,
  tags: Tags,
  load: AgentLoad,
  metadata: z.record(z.string(), z.unknown()),
  revision: z.number().int().nonnegative(),
});
export type AgentInfo = z.infer<typeof AgentInfo>;

/** The message kinds of the task protocol, plus plain text. */
export const MessageKind = z.enum([
  'task.assigned',
  'task.started',
  'task.progress',
  'task.completed',
  'task.failed',
  /** Interrupts a running task (body: TaskCancelBody, src/shared/coding.ts). */
  'task.cancel',
  /** A coding agent asks whoever should decide to allow a tool use (ApprovalRequestedBody). */
  'approval.requested',
  'approval.granted',
  'approval.denied',
  'help.request',
  'help.offered',
  'context.share',
  'decision.request',
  'decision.made',
  'text',
]);
export type MessageKind = z.infer<typeof MessageKind>;

/** How a message travelled: directly, over NATS, parked in the outbox, or by fallback. */
export const RoutedVia = z.enum(['local', 'nats', 'outbox', 'fallback']);
export type RoutedVia = z.infer<typeof RoutedVia>;

export const RouteInfo = z.object({
  sourceLocation: Location,
  destLocation: Location,
  routedVia: RoutedVia,
  routedAt: Timestamp,
});
export type RouteInfo = z.infer<typeof RouteInfo>;

export const MessageId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not a message id');
/** W3C trace ids: 32 lowercase hex digits. */
export const TraceId = z.string().regex(/^[0-9a-f]{32}$/, 'not a trace id');

export const RoutedMessage = z.object({
  id: MessageId,
  from: AgentName,
  to: AgentName,
  repo: RepoName,
  body: z.json(),
  kind: MessageKind,
  timestamp: Timestamp,
  route: RouteInfo,
  traceId: TraceId,
  /** How long an undeliverable message may wait before it expires. */
  ttlMs: NonNegative.optional(),
});
export type RoutedMessage = z.infer<typeof RoutedMessage>;

/**
 * Where a hop happened. `desktop`, `coordinator` and `remote-agent` are the receiving
 * side of a message sent over NATS, reported back by receipts (docs/routing.md,
 * Receipts): their times were taken on another machine's clock.
 */
export const HopWhere = z.enum(['router', 'outbox', 'nats', 'coordinator', 'agent', 'desktop', 'remote-agent']);
export type HopWhere = z.infer<typeof HopWhere>;
export const HopEvent = z.enum([
  'accepted',
  'queued',
  'published',
  /** The receiving host read it off the stream (a receipt). */
  'received',
  'delivered',
  /** The recipient sent a reply naming it (a receipt, docs/routing.md). */
  'answered',
  'rejected',
  'failed',
  'expired',
  /** A message to a remote team agent type, served by a local stand-in while the team is unreachable. */
  'fallback',
  /** The first message to such a type once the team is reachable again: it goes remote again. */
  'failback',
  /** A send to a role (`type:x`, `capability:x`, `*`) chose this recipient; the detail says why (src/shared/dispatch.ts). */
  'dispatched',
  /** The chosen recipient became unreachable before it accepted: the message went to another instance. */
  'failover',
  /** A spawn (by a rule, an agent or a person) started an agent. */
  'spawned',
]);
/** Hops reported by the receiving side of a message: their `at` is mapped from another clock. */
export const REMOTE_HOP_WHERE: ReadonlySet<HopWhere> = new Set<HopWhere>(['desktop', 'coordinator', 'remote-agent']);
export type HopEvent = z.infer<typeof HopEvent>;

/** One step of a message's journey, kept in its trace. */
export const Hop = z.object({
  messageId: MessageId,
  seq: z.number().int().nonnegative(),
  at: Timestamp,
  where: HopWhere,
  event: HopEvent,
  detail: z.string().max(2048),
});
export type Hop = z.infer<typeof Hop>;

export const SpawnRequest = z.object({
  repo: RepoName,
  task: TaskText,
  spawnedBy: AgentName,
  preferLocation: Location.optional(),
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type SpawnRequest = z.infer<typeof SpawnRequest>;

export const SpawnResponse = z.object({
  workerName: AgentName.optional(),
  location: Location.optional(),
  endpoint: z.string().optional(),
  error: z.string().optional(),
});
export type SpawnResponse = z.infer<typeof SpawnResponse>;
