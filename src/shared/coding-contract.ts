/**
 * The contract calls and events of coding agents: workspaces and their worktrees, the
 * person's conversations and approvals, and usage. Listed in contract.ts; the bodies of
 * the agents' own messages are in coding.ts.
 */
import { z } from 'zod';
import { AgentName, MessageId, MessageKind, RepoName } from './domain.js';
import { ApprovalId, FolderPath, TaskId } from './coding.js';

// ---- workspaces and worktrees ----

export const WorkspaceInput = z.object({ path: FolderPath }).strict();

/** A folder the core checked: a git repository, its top level and current branch. */
export const WorkspaceInfo = z.object({
  /** The repository's top-level folder (what agents are started on). */
  root: z.string(),
  /** The checked-out branch; null on a detached HEAD. */
  branch: z.string().nullable(),
  head: z.string(),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfo>;

export const WorktreeQuery = z.object({ workspace: FolderPath, agent: AgentName.optional() }).strict();

/** One task worktree (`sy/<agent>/<task>`) of a workspace. */
export const WorktreeInfo = z.object({
  path: z.string(),
  branch: z.string(),
  agent: z.string(),
  taskId: z.string(),
  /** The commit it was created from. */
  base: z.string(),
  head: z.string(),
  /** Commits on the branch since the base. */
  commits: z.number().int().nonnegative(),
  /** Uncommitted changes in the worktree. */
  dirty: z.boolean(),
});
export type WorktreeInfo = z.infer<typeof WorktreeInfo>;

export const WorktreeRef = z
  .object({
    workspace: FolderPath,
    branch: z.string().regex(/^sy\/[A-Za-z0-9._-]{1,128}\/[A-Za-z0-9_-]{1,64}$/, 'not a task branch (sy/<agent>/<task>)'),
  })
  .strict();

export const ChangedFile = z.object({
  path: z.string(),
  status: z.enum(['added', 'modified', 'deleted', 'renamed']),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
});
export type ChangedFile = z.infer<typeof ChangedFile>;

/** A task branch against its base, uncommitted work in its worktree included. */
export const WorktreeDiff = z.object({
  branch: z.string(),
  base: z.string(),
  files: z.array(ChangedFile),
  /** Unified diff text, cut at a readable size. */
  patch: z.string(),
  truncated: z.boolean(),
});
export type WorktreeDiff = z.infer<typeof WorktreeDiff>;

/** A merge into the workspace's branch: done, or refused with the conflicting files said plainly. */
export const MergeOutcome = z.object({
  merged: z.boolean(),
  conflicts: z.array(z.string()),
  message: z.string(),
});
export type MergeOutcome = z.infer<typeof MergeOutcome>;

// ---- the person's conversations ----

/** One message to or from the person at the desktop, as the Conversation panel shows it. */
export const ConversationEntry = z.object({
  messageId: MessageId,
  at: z.number(),
  /** `out`: the person sent it; `in`: an agent sent it to the person. */
  direction: z.enum(['out', 'in']),
  /** The other side. */
  peer: z.string(),
  repo: z.string(),
  kind: MessageKind,
  body: z.json(),
  /** The coding task it belongs to, when the body names one. */
  taskId: z.string().nullable(),
});
export type ConversationEntry = z.infer<typeof ConversationEntry>;

export const ConversationQuery = z
  .object({ peer: AgentName, limit: z.number().int().min(1).max(2_000).optional() })
  .strict();

export const ConversationAppended = z.object({ entries: z.array(ConversationEntry) });
export type ConversationAppended = z.infer<typeof ConversationAppended>;

// ---- approvals ----

export const ApprovalState = z.enum(['pending', 'granted', 'denied', 'expired']);
export type ApprovalState = z.infer<typeof ApprovalState>;

/** An approval request addressed to the person, and what became of it. */
export const ApprovalView = z.object({
  approvalId: ApprovalId,
  /** The agent that asks. */
  from: z.string(),
  repo: z.string(),
  messageId: MessageId,
  taskId: TaskId,
  tool: z.string(),
  summary: z.string(),
  input: z.json(),
  cwd: z.string(),
  requestedAt: z.number(),
  expiresAt: z.number(),
  state: ApprovalState,
  answeredAt: z.number().nullable(),
});
export type ApprovalView = z.infer<typeof ApprovalView>;

export const ApprovalQuery = z.object({ state: ApprovalState.optional() }).strict().optional();

export const ApprovalAnswerInput = z
  .object({
    approvalId: ApprovalId,
    allow: z.boolean(),
    /** With allow: this tool for this agent from now on. */
    always: z.boolean().optional(),
    reason: z.string().max(2048).optional(),
  })
  .strict();

export const ApprovalsChanged = z.object({
  changed: z.array(ApprovalView),
  /** Pending approvals after the change: the badge. */
  pending: z.number().int().nonnegative(),
});
export type ApprovalsChanged = z.infer<typeof ApprovalsChanged>;

// ---- usage ----

/** Totals of a set of finished tasks. */
export const UsageTotals = z.object({
  tasks: z.number().int().nonnegative(),
  failedTasks: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative(),
  /** Sum of the costs the SDKs reported; tasks without one add nothing. */
  costUsd: z.number().nonnegative(),
  durationMs: z.number().int().nonnegative(),
});
export type UsageTotals = z.infer<typeof UsageTotals>;

export const UsageQuery = z
  .object({
    agent: AgentName.optional(),
    repo: RepoName.optional(),
    /** Only tasks finished at or after this time (ms since the epoch). */
    since: z.number().int().nonnegative().optional(),
  })
  .strict()
  .optional();

/** One finished task, as the agent's panel lists it. */
export const TaskUsage = z.object({
  agent: z.string(),
  repo: z.string(),
  taskId: z.string(),
  at: z.number(),
  ok: z.boolean(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative().nullable(),
  durationMs: z.number().int().nonnegative(),
});
export type TaskUsage = z.infer<typeof TaskUsage>;

export const UsageSummary = z.object({
  totals: UsageTotals,
  byAgent: z.array(UsageTotals.extend({ agent: z.string(), repo: z.string() })),
  byRepo: z.array(UsageTotals.extend({ repo: z.string() })),
  /** Per UTC day, oldest first: usage over time. */
  byDay: z.array(UsageTotals.extend({ day: z.string() })),
  recent: z.array(TaskUsage),
});
export type UsageSummary = z.infer<typeof UsageSummary>;

/** A task finished and was counted: the agent's new totals. */
export const UsageChanged = z.object({ agent: z.string(), repo: z.string(), totals: UsageTotals });
export type UsageChanged = z.infer<typeof UsageChanged>;
