/**
 * Schemas of the routing calls and events of the contract: sending a message, reading
 * traces, spawning workers. Kept apart from contract.ts so that file stays a table.
 */
import { z } from 'zod';
import { AgentName, AgentType, Hop, HopEvent, Location, MessageId, MessageKind, NonNegative, RepoName, RouteInfo, TaskText } from './domain.js';
import { DispatchRecipient, DispatchTarget, Fanout } from './dispatch.js';

/**
 * A message from the UI or the CLI.
 *
 * `from` defaults to `user` (the person at the keyboard), `repo` to the configured repo,
 * `kind` to plain text.
 */
export const SendMessageInput = z.object({
  from: AgentName.optional(),
  /** An agent's name, or a role (`type:x`, `capability:x`) or `*` (src/shared/dispatch.ts). */
  to: DispatchTarget,
  /** To a role: one instance (the default) or every instance (a broadcast; `*` always is). */
  fanout: Fanout.optional(),
  repo: RepoName.optional(),
  body: z.json(),
  kind: MessageKind.default('text'),
  /** How long the message may wait for an unreachable destination. */
  ttlMs: NonNegative.optional(),
});
export type SendMessageInput = z.input<typeof SendMessageInput>;

/** Where a message stands once the router has taken it. */
export const SendStatus = z.enum(['delivered', 'published', 'queued', 'expired']);
export type SendStatus = z.infer<typeof SendStatus>;

export const SendResult = z.object({
  messageId: MessageId,
  traceId: z.string(),
  status: SendStatus,
  route: RouteInfo,
  /** Who it went to: the name sent to, or the instance a role send chose. */
  to: AgentName.optional(),
  /** A role send: why that instance (the `dispatched` hop's detail). */
  reason: z.string().max(2048).optional(),
  /** A broadcast: every recipient's message (the fields above describe the first). */
  recipients: z.array(DispatchRecipient).optional(),
});
export type SendResult = z.infer<typeof SendResult>;

/**
 * One message as the traces table lists it. `from`/`to` are plain strings: a rejected,
 * malformed message is traced too, with whatever could be read of its names.
 */
export const TraceSummary = z.object({
  messageId: z.string(),
  traceId: z.string(),
  repo: z.string(),
  from: z.string(),
  to: z.string(),
  kind: z.string(),
  /** The latest hop's event. */
  status: HopEvent,
  route: RouteInfo.nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type TraceSummary = z.infer<typeof TraceSummary>;

export const TraceQuery = z
  .object({
    /** Sender or receiver. */
    agent: AgentName,
    kind: MessageKind,
    status: HopEvent,
    /** createdAt range, epoch ms, inclusive. */
    since: NonNegative,
    until: NonNegative,
    limit: z.number().int().min(1).max(1000),
    /** The `nextCursor` of the previous page. */
    cursor: z.string().max(200),
  })
  .partial()
  .strict();
export type TraceQuery = z.infer<typeof TraceQuery>;

/** A page of traces, newest first. */
export const TracePage = z.object({
  items: z.array(TraceSummary),
  nextCursor: z.string().nullable(),
});
export type TracePage = z.infer<typeof TracePage>;

export const TraceDetail = z.object({
  summary: TraceSummary,
  /** The body as stored (redacted, cut at the trace body limit), null when not kept. */
  body: z.json().nullable(),
  bodyTruncated: z.boolean(),
  hops: z.array(Hop),
});
export type TraceDetail = z.infer<typeof TraceDetail>;

/** A batch of new or changed traces: at most one event per tick. */
export const MessagesRouted = z.object({ items: z.array(TraceSummary) });
export type MessagesRouted = z.infer<typeof MessagesRouted>;

/** A spawn asked by the UI, the CLI or an agent. */
export const SpawnInput = z.object({
  /** The agent type to start; workers by default. */
  type: AgentType.default('worker'),
  task: TaskText,
  repo: RepoName.optional(),
  spawnedBy: AgentName.default('user'),
  preferLocation: Location.optional(),
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type SpawnInput = z.input<typeof SpawnInput>;

/** How a spawn was placed: `fallback` is a remote type started locally because the remote was away. */
export const SpawnRoute = z.enum(['local', 'remote', 'fallback']);
export type SpawnRoute = z.infer<typeof SpawnRoute>;

export const SpawnOutcome = z.object({
  workerName: AgentName,
  location: Location,
  route: SpawnRoute,
  endpoint: z.string(),
});
export type SpawnOutcome = z.infer<typeof SpawnOutcome>;

/** Input of `traces.get`. */
export const TraceRef = z.object({ id: MessageId }).strict();
