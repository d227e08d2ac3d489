/**
 * Coding agents (Claude Code, Codex) on the switchyard: their manifest config, and the
 * bodies of the messages they take and send. RoutedMessage bodies stay plain JSON on the
 * wire; whoever reads a coding agent's message (the UI, the usage store, another agent)
 * parses it with these schemas, and the coding-agent runtime writes nothing else.
 * docs/coding-agents.md is the prose form of this file.
 */
import { z } from 'zod';

/** Which SDK drives the agent: `@anthropic-ai/claude-agent-sdk` or `@openai/codex-sdk`. */
export const CodingEngine = z.enum(['claude', 'codex']);
export type CodingEngine = z.infer<typeof CodingEngine>;

/** Where a task runs: the workspace folder itself, or a git worktree of its own on `sy/<agent>/<task>`. */
export const Isolation = z.enum(['none', 'worktree']);
export type Isolation = z.infer<typeof Isolation>;

/** An absolute folder path (the core checks it is a git repository before an agent starts on it). */
export const FolderPath = z.string().min(1).max(4096);

/** Claude Code's permission modes, as its SDK names them. */
export const ClaudePermissionMode = z.enum(['default', 'acceptEdits', 'plan', 'bypassPermissions']);
export type ClaudePermissionMode = z.infer<typeof ClaudePermissionMode>;

const ToolNames = z.array(z.string().min(1).max(256)).max(256);

/** Codex's own settings: it decides approvals inside the CLI (nothing is routed; docs/coding-agents.md). */
export const CodexSettings = z
  .object({
    sandboxMode: z.enum(['read-only', 'workspace-write', 'danger-full-access']).default('workspace-write'),
    // No 'untrusted': Codex 0.169 refuses to start with it ("no longer supported").
    approvalPolicy: z.enum(['never', 'on-request', 'on-failure']).default('never'),
  })
  .strict();
export type CodexSettings = z.infer<typeof CodexSettings>;

/** The `config` of a coding-agent manifest (claude-code.json, codex.json), plus what `agents.start` adds. */
export const CodingAgentConfig = z
  .object({
    engine: CodingEngine,
    /** The git repository the agent works in; `agents.start` sets it from the picker or path field. */
    workspace: FolderPath.optional(),
    isolation: Isolation.default('none'),
    model: z.string().min(1).max(256).optional(),
    /** The CLI to run; otherwise SWITCHYARD_CLAUDE_PATH / SWITCHYARD_CODEX_PATH, then PATH (docs/coding-agents.md). */
    executable: FolderPath.optional(),
    permissionMode: ClaudePermissionMode.default('default'),
    /** Tools used without asking. */
    allowedTools: ToolNames.default([]),
    /** Tools never used. */
    disallowedTools: ToolNames.default([]),
    /** An approval nobody answers within this counts as denied. */
    approvalTimeoutMs: z.number().int().min(100).max(86_400_000).default(300_000),
    /** A task still running after this fails with `timeout`. */
    taskTimeoutMs: z.number().int().min(1_000).max(86_400_000).default(1_800_000),
    maxTurns: z.number().int().min(1).max(1_000).optional(),
    /** At most one `task.progress` per this long while events keep coming (the first after a quiet spell goes at once). */
    progressBatchMs: z.number().int().min(0).max(10_000).default(25),
    codex: CodexSettings.default(CodexSettings.parse({})),
  })
  .strict();
export type CodingAgentConfig = z.infer<typeof CodingAgentConfig>;

/** A task id: it names the worktree branch `sy/<agent>/<task>`, so it stays branch-safe. */
export const TaskId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1–64 characters from A–Z, a–z, 0–9, "_" and "-"');

/**
 * What a coding agent takes as work (kind `text` or `task.assigned`): a plain string is
 * the prompt of a new task; an object may continue a task by its id.
 */
export const CodingTaskRequest = z.union([
  z.string().min(1).max(262_144),
  z
    .object({
      prompt: z.string().min(1).max(262_144),
      /** Continues this task's session (and worktree); a new task when absent or unknown. */
      taskId: TaskId.optional(),
      title: z.string().max(256).optional(),
      /** A task dispatched by the work model (TaskAssignedBody, src/shared/tasks.ts) may name its parent and deadline. */
      parentTaskId: TaskId.optional(),
      deadline: z.number().int().nonnegative().optional(),
    })
    .strict(),
]);
export type CodingTaskRequest = z.infer<typeof CodingTaskRequest>;

/** Tokens and money of a turn or a task; `costUsd` is null where the SDK does not report it (Codex). */
export const Usage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative().default(0),
  costUsd: z.number().nonnegative().nullable(),
});
export type Usage = z.infer<typeof Usage>;

/** One entry of a live transcript. */
export const TranscriptEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().max(65_536) }),
  /** A tool use, with a one-line summary of its input (`Write src/a.ts`, `Bash: npm test`). */
  z.object({ type: z.literal('tool'), id: z.string().max(256), tool: z.string().max(256), summary: z.string().max(512) }),
  z.object({ type: z.literal('tool-result'), id: z.string().max(256), ok: z.boolean(), summary: z.string().max(512).default('') }),
  /** Something worth a line that is neither: a retry, a compaction. */
  z.object({ type: z.literal('notice'), text: z.string().max(2048) }),
]);
export type TranscriptEvent = z.infer<typeof TranscriptEvent>;

/** What every task message carries: the task, and the message that asked for it. */
const TaskRef = { taskId: TaskId, inReplyTo: z.string().max(64) };

export const TaskStartedBody = z.object({
  ...TaskRef,
  /** Where it runs: the workspace or its worktree. */
  cwd: z.string().max(4096),
  branch: z.string().max(512).nullable(),
  /** True when this continues an earlier session. */
  resumed: z.boolean(),
});
export type TaskStartedBody = z.infer<typeof TaskStartedBody>;

export const TaskProgressBody = z.object({
  ...TaskRef,
  /** Counts batches of one task from 1, so a reader sees a gap. */
  seq: z.number().int().min(1),
  events: z.array(TranscriptEvent).min(1).max(1_000),
});
export type TaskProgressBody = z.infer<typeof TaskProgressBody>;

export const TaskCompletedBody = z.object({
  ...TaskRef,
  text: z.string().max(262_144),
  /** Paths relative to the folder it ran in. */
  changedFiles: z.array(z.string().max(4096)).max(10_000),
  branch: z.string().max(512).nullable(),
  worktree: z.string().max(4096).nullable(),
  usage: Usage,
  durationMs: z.number().int().nonnegative(),
  turns: z.number().int().nonnegative(),
  sessionId: z.string().max(256),
});
export type TaskCompletedBody = z.infer<typeof TaskCompletedBody>;

/** Why a task failed; a reader (and the UI's advice) branches on it. */
export const TaskFailureReason = z.enum([
  'cli-missing',
  'not-authenticated',
  'model-error',
  'rate-limited',
  'timeout',
  'cancelled',
  'workspace-invalid',
  'bad-request',
  'internal',
]);
export type TaskFailureReason = z.infer<typeof TaskFailureReason>;

export const TaskFailedBody = z.object({
  taskId: TaskId.optional(),
  inReplyTo: z.string().max(64),
  reason: TaskFailureReason,
  message: z.string().max(8192),
  usage: Usage.optional(),
});
export type TaskFailedBody = z.infer<typeof TaskFailedBody>;

export const TaskCancelBody = z.object({ taskId: TaskId }).strict();
export type TaskCancelBody = z.infer<typeof TaskCancelBody>;

export const ApprovalId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not an approval id');

/** A coding agent asks to use a tool; sent to the owner of a local agent or to the user who assigned the task. */
export const ApprovalRequestedBody = z.object({
  approvalId: ApprovalId,
  taskId: TaskId,
  tool: z.string().max(256),
  /** One line: what the tool would do. */
  summary: z.string().max(512),
  /** The tool's input, cut to a readable size. */
  input: z.json(),
  cwd: z.string().max(4096),
  /** Unanswered by then, it counts as denied. */
  expiresAt: z.number().int().nonnegative(),
});
export type ApprovalRequestedBody = z.infer<typeof ApprovalRequestedBody>;

/** The body of `approval.granted` and `approval.denied`. */
export const ApprovalAnswerBody = z
  .object({
    approvalId: ApprovalId,
    /** Granted: allow this tool for this agent from now on, without asking. */
    always: z.boolean().default(false),
    /** Denied: why, told to the model. */
    reason: z.string().max(2048).optional(),
  })
  .strict();
export type ApprovalAnswerBody = z.infer<typeof ApprovalAnswerBody>;

/** The local name of the person at the desktop: answers, progress and approvals for them go here. */
export const PARTICIPANT_NAME = 'user';
/** The agent type of that endpoint (user-owned, local). */
export const PARTICIPANT_TYPE = 'person';
