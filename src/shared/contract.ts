/**
 * The contract between the renderer (or any client) and the core: every call and every
 * event, each with its zod schemas.
 *
 * The preload, the IPC handlers, the WebSocket bridge and the clients are all built by
 * looping over these two tables, so a new call is one entry here plus its handler.
 */
import { z } from 'zod';
import { ApiToken, CoordinationUrl, HybridConfigUpdate, HybridConfigView, insecureTransportProblem } from './config.js';
import { ConnectionState } from './connection.js';
import { AgentInfo } from './domain.js';
import { AutostartQuery, AutostartUpdate, AutostartView } from './autostart.js';
import type { ErrorPayload } from './errors.js';
import { AgentQuery, AgentRef, SelectionStrategy } from './registry-query.js';
import {
  AgentLogsInput,
  AgentNameInput,
  InstallManifestInput,
  LogEntry,
  ManifestList,
  ManifestView,
  ScaleAgentsInput,
  StartAgentInput,
} from './agent-protocol.js';
import {
  MessagesRouted,
  SendMessageInput,
  SendResult,
  SpawnInput,
  SpawnOutcome,
  TraceDetail,
  TracePage,
  TraceQuery,
  TraceRef,
} from './routing-contract.js';
import {
  ApprovalAnswerInput,
  ApprovalQuery,
  ApprovalView,
  ApprovalsChanged,
  ConversationAppended,
  ConversationEntry,
  ConversationQuery,
  MergeOutcome,
  UsageChanged,
  UsageQuery,
  UsageSummary,
  WorkspaceInfo,
  WorkspaceInput,
  WorktreeDiff,
  WorktreeInfo,
  WorktreeQuery,
  WorktreeRef,
} from './coding-contract.js';
import { DismissProblemsInput, DismissProblemsResult, Problem, ProblemsChanged } from './problems.js';
import { contextCalls, contextEvents, metricsCalls, repoCalls, spawnRuleCalls, taskCalls, taskEvents } from './work-contract.js';

export const SystemInfo = z.object({
  name: z.literal('switchyard'),
  version: z.string(),
  host: z.enum(['electron', 'headless']),
  platform: z.string(),
  startedAt: z.number(),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

/** A batch of registry changes; the revision is the registry's after the batch. */
export const AgentsChanged = z.object({
  revision: z.number().int().nonnegative(),
  upserts: z.array(AgentInfo),
  removals: z.array(AgentRef),
});
export type AgentsChanged = z.infer<typeof AgentsChanged>;

const NoInput = z.void();

/**
 * Input of `connection.test`: a one-shot connect to a coordination URL. Without
 * `apiToken` the stored token is used, for the saved URL only; the token never comes
 * back in the answer.
 */
export const ConnectionTestInput = z
  .object({
    coordinationUrl: CoordinationUrl.refine((url) => url !== '', 'enter the coordination URL'),
    /** Without it the stored token is used, and only when the URL is the saved one (else TokenNotForUrl). */
    apiToken: ApiToken.optional(),
    /** As the hybrid config's: a `ws://` URL to another machine is refused without it. */
    allowInsecureTransport: z.boolean().optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    const insecure = insecureTransportProblem(input.coordinationUrl, input.allowInsecureTransport ?? false);
    if (insecure) ctx.addIssue({ code: 'custom', path: ['coordinationUrl'], message: insecure });
  });
export type ConnectionTestInput = z.infer<typeof ConnectionTestInput>;

/** What a connection test found: reachable and how fast, or the server's (or network's) reason. */
export const ConnectionTestResult = z.object({
  ok: z.boolean(),
  latencyMs: z.number().nonnegative().optional(),
  error: z.string().optional(),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>;

/** One call: its input and output schemas. */
interface CallSpec {
  input: z.ZodType;
  output: z.ZodType;
}

export const calls = {
  'system.info': { input: NoInput, output: SystemInfo },
  'config.get': { input: NoInput, output: HybridConfigView },
  'config.set': { input: HybridConfigUpdate, output: HybridConfigView },
  'connection.get': { input: NoInput, output: ConnectionState },
  'connection.test': { input: ConnectionTestInput, output: ConnectionTestResult },
  'agents.list': { input: AgentQuery.optional(), output: z.array(AgentInfo) },
  'agents.get': { input: AgentRef, output: AgentInfo.nullable() },
  'agents.select': {
    input: z.object({ query: AgentQuery, strategy: SelectionStrategy }).strict(),
    output: AgentInfo,
  },
  'messages.send': { input: SendMessageInput, output: SendResult },
  'traces.query': { input: TraceQuery.optional(), output: TracePage },
  'traces.get': { input: TraceRef, output: TraceDetail.nullable() },
  'agents.spawn': { input: SpawnInput, output: SpawnOutcome },
  'manifests.list': { input: NoInput, output: ManifestList },
  'manifests.install': { input: InstallManifestInput, output: ManifestView },
  'agents.start': { input: StartAgentInput, output: AgentInfo },
  'agents.stop': { input: AgentNameInput, output: AgentInfo },
  'agents.restart': { input: AgentNameInput, output: AgentInfo },
  'agents.scale': { input: ScaleAgentsInput, output: z.array(AgentInfo) },
  'agents.logs': { input: AgentLogsInput, output: z.array(LogEntry) },
  'autostart.get': { input: AutostartQuery, output: AutostartView },
  'autostart.set': { input: AutostartUpdate, output: AutostartView },
  'workspaces.validate': { input: WorkspaceInput, output: WorkspaceInfo },
  'worktrees.list': { input: WorktreeQuery, output: z.array(WorktreeInfo) },
  'worktrees.diff': { input: WorktreeRef, output: WorktreeDiff },
  'worktrees.merge': { input: WorktreeRef, output: MergeOutcome },
  'worktrees.discard': { input: WorktreeRef, output: z.object({ removed: z.boolean() }) },
  'conversation.get': { input: ConversationQuery, output: z.array(ConversationEntry) },
  'approvals.list': { input: ApprovalQuery, output: z.array(ApprovalView) },
  'approvals.answer': { input: ApprovalAnswerInput, output: ApprovalView },
  'usage.summary': { input: UsageQuery, output: UsageSummary },
  'problems.list': { input: NoInput, output: z.array(Problem) },
  'problems.dismiss': { input: DismissProblemsInput, output: DismissProblemsResult },
  ...taskCalls,
  ...contextCalls,
  ...spawnRuleCalls,
  ...metricsCalls,
  ...repoCalls,
} satisfies Record<string, CallSpec>;

export const events = {
  'agents.changed': AgentsChanged,
  'connection.changed': ConnectionState,
  'messages.routed': MessagesRouted,
  'conversation.appended': ConversationAppended,
  'approvals.changed': ApprovalsChanged,
  'usage.changed': UsageChanged,
  'problems.changed': ProblemsChanged,
  ...taskEvents,
  ...contextEvents,
} satisfies Record<string, z.ZodType>;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** How results cross every boundary. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

export const ResultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: z.object({
      name: z.string(),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  }),
]);

type Namespace<N> = N extends `${infer NS}.${string}` ? NS : never;
type Method<N, NS extends string> = N extends `${NS}.${infer M}` ? M : never;
type Args<N extends CallName> = undefined extends CallInput<N> ? [input?: CallInput<N>] : [input: CallInput<N>];
type Capitalize1<S extends string> = S extends `${infer H}${infer T}` ? `${Uppercase<H>}${T}` : S;
type Camel<S extends string> = S extends `${infer A}.${infer B}` ? `${Capitalize1<A>}${Camel<B>}` : Capitalize1<S>;

/** The listener name of an event: `agents.changed` → `onAgentsChanged`. */
export type ListenerName<E extends string> = `on${Camel<E>}`;

/**
 * What `window.switchyard` (or the bridge client) offers: one namespace of named
 * functions per call prefix, and one `onX` subscription per event.
 */
export type SwitchyardApi = {
  [NS in Namespace<CallName>]: {
    [N in CallName as N extends `${NS}.${string}` ? Method<N, NS> : never]: (...args: Args<N>) => Promise<CallOutput<N>>;
  };
} & {
  [E in EventName as ListenerName<E>]: (listener: (payload: EventPayload<E>) => void) => () => void;
};

/** `agents.changed` → `onAgentsChanged`, the same rule as {@link ListenerName}. */
export function listenerName(event: string): string {
  return 'on' + event.split('.').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
