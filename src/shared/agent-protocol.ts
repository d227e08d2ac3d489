/**
 * The agent protocol: JSON lines between Switchyard and a local agent, over stdio for
 * supervised agents and over the local WebSocket gateway for external ones.
 *
 * Every line is one JSON object discriminated on `type`. docs/agent-protocol.md is the
 * prose form of this file; change both together and bump PROTOCOL_VERSION on any change
 * an existing agent could notice.
 */
import { z } from 'zod';
import { DispatchTarget, Fanout } from './dispatch.js';
import { AgentLoad, AgentName, AgentType, Capabilities, InstanceId, Location, MessageId, MessageKind, RepoName, RoutedMessage, TaskText } from './domain.js';
import { AgentManifest } from './manifest.js';
import { FolderPath, Isolation } from './coding.js';
import { ContextEntry, ContextKey, ContextPrefix } from './blackboard.js';

/** The protocol version this build speaks. */
export const PROTOCOL_VERSION = 1;

/** The longest line either side accepts (bytes of UTF-8, newline excluded). */
export const MAX_LINE_BYTES = 1024 * 1024;

// ---- agent → Switchyard ----

/**
 * The first line an agent sends. Supervised agents may omit it (Switchyard already
 * knows who they are); gateway agents must send it, with a name and an instanceId.
 */
export const HelloLine = z
  .object({
    type: z.literal('hello'),
    protocol: z.number().int().min(1),
    name: AgentName.optional(),
    /** Gateway agents only: the type shown in the UI; ownership follows from it. */
    agentType: AgentType.optional(),
    capabilities: Capabilities.optional(),
    /** Stable across reconnects of one external agent; required over the gateway. */
    instanceId: InstanceId.optional(),
  })
  .strict();
export type HelloLine = z.infer<typeof HelloLine>;

/** Asks Switchyard to deliver a message to another agent. */
export const SendLine = z
  .object({
    type: z.literal('send'),
    /** An agent's name, a role (`type:x`, `capability:x`) or `*` (src/shared/dispatch.ts). */
    to: DispatchTarget,
    /** To a role: one instance (the default) or every instance (a broadcast). */
    fanout: Fanout.optional(),
    body: z.json(),
    kind: MessageKind.optional(),
    /** Becomes the message id, so the agent can correlate an `error` reply. */
    id: MessageId.optional(),
  })
  .strict();
export type SendLine = z.infer<typeof SendLine>;

/** Agent-settable statuses; `unreachable` and `terminated` are Switchyard's to decide. */
export const AgentSelfStatus = z.enum(['active', 'idle', 'busy']);

export const StatusLine = z.object({ type: z.literal('status'), status: AgentSelfStatus }).strict();
export type StatusLine = z.infer<typeof StatusLine>;

export const HeartbeatLine = z.object({ type: z.literal('heartbeat'), load: AgentLoad.optional() }).strict();
export type HeartbeatLine = z.infer<typeof HeartbeatLine>;

/** Asks for a task worker; the router decides where it runs. */
export const SpawnLine = z
  .object({
    type: z.literal('spawn'),
    task: TaskText,
    preferLocation: Location.optional(),
    id: MessageId.optional(),
  })
  .strict();
export type SpawnLine = z.infer<typeof SpawnLine>;

export const LogLevel = z.enum(['debug', 'info', 'warn', 'error']);
export type LogLevel = z.infer<typeof LogLevel>;

export const LogLine = z
  .object({ type: z.literal('log'), level: LogLevel, message: z.string().max(65_536) })
  .strict();
export type LogLine = z.infer<typeof LogLine>;

// ---- the blackboard over the agent protocol (src/shared/blackboard.ts) ----

/** Writes (or, with value null, deletes) a blackboard key as this agent. */
export const ContextSetLine = z
  .object({
    type: z.literal('context.set'),
    id: MessageId,
    key: ContextKey,
    value: z.json().nullable(),
    ttlMs: z.number().int().min(100).max(31_536_000_000).optional(),
  })
  .strict();
export type ContextSetLine = z.infer<typeof ContextSetLine>;
/** Reads one key. */
export const ContextGetLine = z.object({ type: z.literal('context.get'), id: MessageId, key: ContextKey }).strict();
/** Follows every key under a prefix: the current entries, then each change, as `context` lines. */
export const ContextWatchLine = z.object({ type: z.literal('context.watch'), id: MessageId, prefix: ContextPrefix }).strict();
/** The blackboard lines an agent may write. */
export type ContextLine = ContextSetLine | z.infer<typeof ContextGetLine> | z.infer<typeof ContextWatchLine>;
/** Switchyard's answer to a context line (matching `ref`), and each change a watch sees. */
export const ContextReplyLine = z.object({
  type: z.literal('context'),
  ref: MessageId,
  entries: z.array(ContextEntry),
});
export type ContextReplyLine = z.infer<typeof ContextReplyLine>;

/** Any line an agent may write. */
export const AgentLine = z.discriminatedUnion('type', [
  HelloLine,
  SendLine,
  StatusLine,
  HeartbeatLine,
  SpawnLine,
  LogLine,
  ContextSetLine,
  ContextGetLine,
  ContextWatchLine,
]);
export type AgentLine = z.infer<typeof AgentLine>;

// ---- Switchyard → agent ----

/** The answer to `hello`: who the agent is in the registry and how often to heartbeat. */
export const WelcomeLine = z.object({
  type: z.literal('welcome'),
  protocol: z.number().int(),
  name: AgentName,
  repo: z.string(),
  instanceId: z.string(),
  heartbeatIntervalMs: z.number().int().positive(),
});
export type WelcomeLine = z.infer<typeof WelcomeLine>;

export const MessageLine = z.object({ type: z.literal('message'), message: RoutedMessage });
export type MessageLine = z.infer<typeof MessageLine>;

export const ShutdownLine = z.object({ type: z.literal('shutdown'), reason: z.string().max(1024) });
export type ShutdownLine = z.infer<typeof ShutdownLine>;

/** Why a line was refused or a request failed; agents branch on `code`. */
export const ProtocolErrorCode = z.enum([
  'bad-json',
  'bad-line',
  'line-too-long',
  'unsupported-protocol',
  'hello-required',
  'name-mismatch',
  'name-conflict',
  /** Over the gateway: another open connection holds this instanceId (docs/agent-protocol.md). */
  'instance-in-use',
  'unknown-destination',
  'not-supported',
  /** A send to a role found no healthy instance with free workload. */
  'no-agent-available',
  /** A `task.assigned` by name to an agent already at its maxConcurrentTasks. */
  'workload-full',
  /** A blackboard write outside the agent's prefixes (ContextWriteDenied's message; docs/blackboard.md). */
  'denied',
  /** A request Switchyard could not carry out (the blackboard unreachable, a value too large). */
  'failed',
]);
export type ProtocolErrorCode = z.infer<typeof ProtocolErrorCode>;

export const ErrorLine = z.object({
  type: z.literal('error'),
  code: ProtocolErrorCode,
  message: z.string(),
  /** The `id` of the line this answers, when it had one. */
  ref: z.string().optional(),
});
export type ErrorLine = z.infer<typeof ErrorLine>;

/** Any line Switchyard writes to an agent. */
export const SwitchyardLine = z.discriminatedUnion('type', [WelcomeLine, MessageLine, ShutdownLine, ErrorLine, ContextReplyLine]);
export type SwitchyardLine = z.infer<typeof SwitchyardLine>;

// ---- supervision state, as the UI sees it in AgentInfo.metadata.supervision ----

export const SupervisionState = z.enum(['starting', 'running', 'backoff', 'stopping', 'stopped', 'crash-loop']);
export type SupervisionState = z.infer<typeof SupervisionState>;

/** Why a process ended (or was never started). */
export const ExitReason = z.enum(['exited', 'signal', 'unresponsive', 'spawn-failed', 'stopped', 'crash-loop']);
export type ExitReason = z.infer<typeof ExitReason>;

export const LastExit = z.object({
  code: z.number().int().nullable(),
  signal: z.string().nullable(),
  reason: ExitReason,
  at: z.number(),
  detail: z.string().optional(),
});
export type LastExit = z.infer<typeof LastExit>;

/** What `metadata.supervision` holds for a supervised local agent. */
export const Supervision = z.object({
  state: SupervisionState,
  pid: z.number().int().nullable(),
  restarts: z.number().int().nonnegative(),
  lastExit: LastExit.nullable(),
  /** When the next restart is due, while in backoff. */
  nextRestartAt: z.number().nullable().optional(),
});
export type Supervision = z.infer<typeof Supervision>;

// ---- the per-agent log ----

export const LogSource = z.enum(['stderr', 'agent', 'protocol', 'supervisor']);
export type LogSource = z.infer<typeof LogSource>;

export const LogEntry = z.object({
  at: z.number(),
  source: LogSource,
  level: LogLevel,
  text: z.string(),
});
export type LogEntry = z.infer<typeof LogEntry>;

// ---- contract schemas of the local-agent calls (listed in contract.ts) ----

export const ManifestView = z.object({
  manifest: AgentManifest,
  /** `builtin`: shipped in resources/agents; `user`: the user's folder (overrides builtin). */
  source: z.enum(['builtin', 'user']),
  file: z.string(),
});
export type ManifestView = z.infer<typeof ManifestView>;

export const ManifestList = z.object({
  manifests: z.array(ManifestView),
  /** Manifest files that were skipped, and why. */
  problems: z.array(z.object({ file: z.string(), message: z.string() })),
});
export type ManifestList = z.infer<typeof ManifestList>;

export const InstallManifestInput = z
  .object({ manifest: AgentManifest, replace: z.boolean().default(false) })
  .strict();

export const StartAgentInput = z
  .object({
    type: AgentType,
    name: AgentName.optional(),
    /** Coding agents: the git repository to work in (the core validates it; src/shared/coding.ts). */
    workspace: FolderPath.optional(),
    /** Coding agents: run each task in its own worktree. */
    isolation: Isolation.optional(),
    /** Which of the desktop's repos (docs/configuration.md, Several repos); the primary when absent. */
    repo: RepoName.optional(),
  })
  .strict();
/** `repo`: which of the desktop's repos the agent is in; the primary when absent. */
export const AgentNameInput = z.object({ name: AgentName, repo: RepoName.optional() }).strict();
/** At most 256 agents of a type: more would exhaust a laptop rather than help. */
export const ScaleAgentsInput = z
  .object({ type: AgentType, count: z.number().int().min(0).max(256), repo: RepoName.optional() })
  .strict();
export const AgentLogsInput = z
  .object({ name: AgentName, tail: z.number().int().min(1).max(500).optional(), repo: RepoName.optional() })
  .strict();
