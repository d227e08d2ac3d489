/**
 * The store's typed slices. Each holds state only: every write goes through the
 * store's `set` from the module-level actions in `actions.ts` (zustand's "no store
 * actions" practice), so components read and never write directly.
 */
import type { StateCreator } from 'zustand';
import type { HybridConfigView } from '../../../shared/config.js';
import type { ConnectionState } from '../../../shared/connection.js';
import type { SystemInfo } from '../../../shared/contract.js';
import type { AgentInfo } from '../../../shared/domain.js';
import type { ApprovalView, ConversationEntry, UsageTotals } from '../../../shared/coding-contract.js';
import type { Problem } from '../../../shared/problems.js';
import type { ContextEntry } from '../../../shared/blackboard.js';
import type { TaskRecord } from '../../../shared/tasks.js';
import type { RepoView } from '../../../shared/work-contract.js';
import type { AgentFilter } from '../model/agent-bands.js';
import { EMPTY_FILTER } from '../model/agent-bands.js';
import type { EndedSince } from '../model/ended-agents.js';
import { NO_ENDINGS } from '../model/ended-agents.js';
import type { TraceFilter } from '../model/trace-filter.js';
import { EMPTY_TRACE_FILTER } from '../model/trace-filter.js';
import type { TraceList } from '../model/trace-list.js';
import { emptyTraceList } from '../model/trace-list.js';
import type { RouteWindow } from '../model/route-window.js';
import { emptyRouteWindow } from '../model/route-window.js';

export interface AgentsSlice {
  /** Every agent the core reports, keyed `${repo}/${name}`; a new Map on each update. */
  agents: Map<string, AgentInfo>;
  /** The highest registry revision seen in an event, or null before the first. */
  agentsRevision: number | null;
  /** False until the first `agents.list` answer arrives. */
  agentsLoaded: boolean;
  /** When each terminated agent ended, as this window saw it (model/ended-agents.ts). */
  endedSince: EndedSince;
}

/** How the renderer reaches the core (not the link to the coordination service). */
export type BridgeState =
  | { status: 'starting' }
  | { status: 'missing-token' }
  | { status: 'connecting'; attempt: number }
  | { status: 'ready'; transport: 'preload' | 'bridge' }
  /** The socket closed or was refused; the next attempt is at `retryAt`. */
  | { status: 'down'; everConnected: boolean; attempt: number; retryAt: number; reason: string };

export interface ConnectionSlice {
  bridge: BridgeState;
  /** The link to the team's coordination service, as the core reports it. */
  connection: ConnectionState | null;
  system: SystemInfo | null;
}

export interface ConfigSlice {
  config: HybridConfigView | null;
  configSaving: boolean;
  /** When the config was last saved from this window, epoch ms. */
  configSavedAt: number | null;
}

export interface TracesSlice {
  /** Every trace the renderer holds, newest first; a new object on each update. */
  traces: TraceList;
  /** 'loading' until the first page arrives; 'error' if `traces.query` failed. */
  tracesStatus: 'loading' | 'ready' | 'error';
  tracesError: string | null;
  /** The cursor of the next older page, or null when everything is loaded. */
  tracesCursor: string | null;
  /**
   * The same traces folded into the Routes view's edges, batch by batch (never by
   * rescanning the list); a new object when an edge changed or a message expired.
   */
  routeWindow: RouteWindow;
}

/** The person's side of coding agents: conversations, approvals, usage, notifications. */
export interface CodingSlice {
  /** Per agent name: the conversation with it, once its panel asked for it; a new Map on each update. */
  conversations: Map<string, readonly ConversationEntry[]>;
  /** Every approval addressed to the person, by id. */
  approvals: Map<string, ApprovalView>;
  /** How many of them wait for an answer: the navigation's badge. */
  approvalsPending: number;
  /** Per `${repo}/${agent}`: the agent's usage totals (the Cost column). */
  usageByAgent: Map<string, UsageTotals>;
  /** The browser's notification permission, or 'unsupported' (no API, or Electron, whose main process notifies). */
  notifyPermission: NotificationPermission | 'unsupported';
}

/** Problems said aloud: the notification centre in the top bar. */
export interface ProblemsSlice {
  /** As the core lists them: not dismissed, newest first; a new array on each update. */
  problems: readonly Problem[];
  /** The centre's panel is open. */
  problemsOpen: boolean;
}

/** Where a first load stands: the view shows a failed one's typed error (NotYetBuilt, …). */
export type LoadState =
  | { phase: 'loading' }
  | { phase: 'ready' }
  | { phase: 'failed'; error: { name: string; message: string; issues: { path: string; message: string }[] } };

/** The work model (tasks, the blackboard) and the repos this desktop works in. */
export interface WorkSlice {
  /** Every task the window holds, keyed `${repo}/${id}`; a new Map on each update. */
  tasks: Map<string, TaskRecord>;
  tasksLoad: LoadState;
  /** The blackboard, keyed `${repo}/${key}`; deletes kept as tombstones (model/context-entries.ts). */
  contextEntries: Map<string, ContextEntry>;
  contextLoad: LoadState;
  /** `repos.list`: the primary first; empty when the core does not list them. */
  repos: readonly RepoView[];
}

/** The tabs of an agent's own panel. */
export const AGENT_TABS = ['conversation', 'worktrees', 'usage', 'metrics'] as const;
export type AgentTab = (typeof AGENT_TABS)[number];

/** A panel of the Agents view: one at a time. */
export type AgentPanel =
  | { kind: 'agent'; name: string; tab: AgentTab }
  | { kind: 'start' }
  | { kind: 'spawn' }
  | { kind: 'send'; to?: string; from?: string }
  | { kind: 'logs'; name: string }
  | null;

export const VIEWS = ['agents', 'tasks', 'context', 'approvals', 'routes', 'traces', 'settings'] as const;
export type View = (typeof VIEWS)[number];

export interface UiSlice {
  view: View;
  agentFilter: AgentFilter;
  /** Ended workers past their grace period are shown again, in Agents and in Routes. */
  showEnded: boolean;
  agentPanel: AgentPanel;
  /** The last failed row action (stop, restart), shown above the bands until dismissed. */
  agentActionError: { action: string; agent: string; name: string; message: string } | null;
  traceFilter: TraceFilter;
  /** The message id the Traces inspector shows. */
  selectedTrace: string | null;
  /** The edge (`from→to` key) whose messages the Routes view lists. */
  selectedEdge: string | null;
  /** The repo the Agents, Tasks and Context views show; null: every repo. */
  repoChoice: string | null;
  /** The Tasks view's agent filter ('' : anyone). */
  taskAgentFilter: string;
  /** The task (`${repo}/${id}`) whose detail the Tasks view shows. */
  selectedTask: string | null;
  /** The blackboard key (`${repo}/${key}`) whose history the Context view shows. */
  selectedContextKey: string | null;
}

export type AppState = AgentsSlice &
  ConnectionSlice &
  ConfigSlice &
  TracesSlice &
  CodingSlice &
  ProblemsSlice &
  WorkSlice &
  UiSlice;

type Slice<T> = StateCreator<AppState, [], [], T>;

export const createAgentsSlice: Slice<AgentsSlice> = () => ({
  agents: new Map(),
  agentsRevision: null,
  agentsLoaded: false,
  endedSince: NO_ENDINGS,
});

export const createConnectionSlice: Slice<ConnectionSlice> = () => ({
  bridge: { status: 'starting' },
  connection: null,
  system: null,
});

export const createConfigSlice: Slice<ConfigSlice> = () => ({
  config: null,
  configSaving: false,
  configSavedAt: null,
});

export const createTracesSlice: Slice<TracesSlice> = () => ({
  traces: emptyTraceList(),
  tracesStatus: 'loading',
  tracesError: null,
  tracesCursor: null,
  routeWindow: emptyRouteWindow(),
});

export const createCodingSlice: Slice<CodingSlice> = () => ({
  conversations: new Map(),
  approvals: new Map(),
  approvalsPending: 0,
  usageByAgent: new Map(),
  notifyPermission: 'unsupported',
});

export const createProblemsSlice: Slice<ProblemsSlice> = () => ({
  problems: [],
  problemsOpen: false,
});

export const createWorkSlice: Slice<WorkSlice> = () => ({
  tasks: new Map(),
  tasksLoad: { phase: 'loading' },
  contextEntries: new Map(),
  contextLoad: { phase: 'loading' },
  repos: [],
});

export const createUiSlice: Slice<UiSlice> = () => ({
  view: 'agents',
  agentFilter: EMPTY_FILTER,
  showEnded: false,
  agentPanel: null,
  agentActionError: null,
  traceFilter: EMPTY_TRACE_FILTER,
  selectedTrace: null,
  selectedEdge: null,
  repoChoice: null,
  taskAgentFilter: '',
  selectedTask: null,
  selectedContextKey: null,
});
