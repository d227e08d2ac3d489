/**
 * The team's work model: tasks with phases (docs/tasks.md).
 *
 * A task is created by a person or an agent (`tasks.create`, the CLI, a supervisor's
 * `task.assigned`), dispatched to a name or a role (src/shared/dispatch.ts), and moves
 * through its phases on the messages its assignee already sends. Whoever created a task
 * tracks it (every message about it passes through the requester's router) and, with
 * hybrid on, writes it to the team's tasks KV bucket (key `<repo>.<taskId>`) through the
 * coordinator; desktops mirror that bucket like the registry.
 */
import { z } from 'zod';
import { AgentName, Capabilities, MessageId, NonNegative, RepoName, Timestamp } from './domain.js';
import { TaskId } from './coding.js';
import { DispatchTarget } from './dispatch.js';

/**
 * INIT → PLANNING → EXECUTING → VALIDATING → COMPLETE / FAILED (agent-governance's phases).
 *
 * - `init`: created, not yet accepted by anyone (queued when no instance is free);
 * - `planning`: `task.assigned` reached its assignee;
 * - `executing`: the assignee sent `task.started` or `task.progress`;
 * - `validating`: `task.completed` came and the task names a validator (`constraints.validateBy`);
 * - `complete`: `task.completed` without a validator, or the validator's `decision.made` approved;
 * - `failed`: `task.failed`, a rejecting `decision.made`, a cancel, or the timeout (TimeoutError).
 */
export const TaskPhase = z.enum(['init', 'planning', 'executing', 'validating', 'complete', 'failed']);
export type TaskPhase = z.infer<typeof TaskPhase>;

/** Phases a task never leaves. */
export const FINAL_PHASES: ReadonlySet<TaskPhase> = new Set<TaskPhase>(['complete', 'failed']);

export const TaskConstraints = z
  .object({
    /** The assignee must offer all of these. */
    capabilities: Capabilities.optional(),
    /** Who validates a completed result (a name or a role); without it `task.completed` completes. */
    validateBy: DispatchTarget.optional(),
    /** Only agents at this location. */
    location: z.enum(['local', 'remote']).optional(),
  })
  .strict();
export type TaskConstraints = z.infer<typeof TaskConstraints>;

/** Tokens and money spent on a task (summed over its messages' usage). */
export const TaskCost = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative().nullable(),
});
export type TaskCost = z.infer<typeof TaskCost>;

/** Why a task failed, typed like every error (`TimeoutError`, `TaskFailed`, `Cancelled`, `NoAgentAvailable`…). */
export const TaskError = z.object({ name: z.string().max(128), message: z.string().max(8192) });
export type TaskError = z.infer<typeof TaskError>;

export const PhaseChange = z.object({ phase: TaskPhase, at: Timestamp, by: z.string().max(256) });
export type PhaseChange = z.infer<typeof PhaseChange>;

export const TaskRecord = z.object({
  id: TaskId,
  repo: RepoName,
  title: z.string().min(1).max(256),
  body: z.json(),
  constraints: TaskConstraints,
  /** The task fails with TimeoutError this long after creation unless it ended. */
  timeoutMs: z.number().int().min(100).max(604_800_000),
  requestedBy: AgentName,
  /** The target it was created for: a name, `type:x` or `capability:x`. */
  target: DispatchTarget,
  /** The chosen instance; null while queued. */
  assignedTo: AgentName.nullable(),
  phase: TaskPhase,
  parentId: TaskId.nullable(),
  /** What `task.completed` carried (its body), once complete or validating. */
  result: z.json().nullable(),
  error: TaskError.nullable(),
  cost: TaskCost,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  history: z.array(PhaseChange).max(64),
  /** Ids of the messages about this task, for its traces (newest last, at most 200). */
  messageIds: z.array(MessageId).max(200),
});
export type TaskRecord = z.infer<typeof TaskRecord>;

/** `tasks.create`: a new task, dispatched at once (or queued until an instance is free). */
export const TaskCreateInput = z
  .object({
    title: z.string().trim().min(1).max(256),
    /** What the assignee gets as `prompt` (a string) or as is (an object). */
    body: z.json(),
    to: DispatchTarget,
    constraints: TaskConstraints.default({}),
    timeoutMs: z.number().int().min(100).max(604_800_000).default(1_800_000),
    parentId: TaskId.optional(),
    /** Who asks; `user` (the person) by default. */
    requestedBy: AgentName.default('user'),
    repo: RepoName.optional(),
  })
  .strict();
export type TaskCreateInput = z.input<typeof TaskCreateInput>;

export const TaskQuery = z
  .object({
    repo: RepoName,
    /** Assigned to or requested by. */
    agent: AgentName,
    phase: z.array(TaskPhase).max(6),
    parentId: TaskId,
    limit: z.number().int().min(1).max(5000),
  })
  .partial()
  .strict();
export type TaskQuery = z.infer<typeof TaskQuery>;

export const TaskRef = z.object({ id: TaskId, repo: RepoName.optional() }).strict();
export type TaskRef = z.infer<typeof TaskRef>;

/** New or changed tasks, at most one event per tick. */
export const TasksChanged = z.object({ upserts: z.array(TaskRecord) });
export type TasksChanged = z.infer<typeof TasksChanged>;

/**
 * The body of `task.assigned`: what an assignee reads. A coding agent reads it as its
 * CodingTaskRequest (prompt, taskId, title); scripted agents answer with task.started /
 * task.completed naming `taskId`.
 */
export const TaskAssignedBody = z.object({
  taskId: TaskId,
  title: z.string().max(256),
  prompt: z.string().min(1).max(262_144),
  parentTaskId: TaskId.optional(),
  /** Epoch ms after which the requester fails the task with TimeoutError. */
  deadline: Timestamp.optional(),
});
export type TaskAssignedBody = z.infer<typeof TaskAssignedBody>;

/** The body of a validator's `decision.made` about a task. */
export const TaskDecisionBody = z.object({
  taskId: TaskId,
  approved: z.boolean(),
  reason: z.string().max(8192).default(''),
});
export type TaskDecisionBody = z.infer<typeof TaskDecisionBody>;

/** Queued tasks per target, what spawn rules read. */
export const QueueDepth = z.object({ target: DispatchTarget, queued: NonNegative });
export type QueueDepth = z.infer<typeof QueueDepth>;
