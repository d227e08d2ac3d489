/**
 * Spawn rules and agent metrics (docs/tasks.md): what the spawn controller reads, and
 * what an agent's panel and the metrics endpoints show per agent.
 */
import { z } from 'zod';
import { AgentName, AgentType, RepoName, Timestamp } from './domain.js';

/**
 * "When queued tasks for `type` exceed `whenQueuedAbove`, spawn one, at most `max` running."
 * The coordinator evaluates its rules for the team (its config file), the desktop its
 * own for local agents (settings); a spawn past `max` fails with SpawnLimitError.
 */
export const SpawnRule = z
  .object({
    type: AgentType,
    whenQueuedAbove: z.number().int().min(0).max(100_000),
    max: z.number().int().min(1).max(1_000),
    /** At least this long between two spawns of the rule. */
    cooldownMs: z.number().int().min(0).max(3_600_000).default(1_000),
  })
  .strict();
export type SpawnRule = z.infer<typeof SpawnRule>;
export const SpawnRules = z.array(SpawnRule).max(64);

export const MetricsWindow = z.enum(['1h', '24h', '7d']);
export type MetricsWindow = z.infer<typeof MetricsWindow>;
export const WINDOW_MS: Record<MetricsWindow, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000 };

export const AgentMetricsInput = z
  .object({ name: AgentName, repo: RepoName.optional(), window: MetricsWindow.default('24h') })
  .strict();
export type AgentMetricsInput = z.input<typeof AgentMetricsInput>;

/** One agent's statistics over a window (VAPORA's per-agent statistics). */
export const AgentMetrics = z.object({
  name: AgentName,
  repo: RepoName,
  window: MetricsWindow,
  since: Timestamp,
  tasksCompleted: z.number().int().nonnegative(),
  tasksFailed: z.number().int().nonnegative(),
  /** Mean of completed tasks' durations; null when none completed. */
  avgDurationMs: z.number().nonnegative().nullable(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  /** Share of the window the agent was up (running, not backoff or stopped), 0–100. */
  uptimePct: z.number().min(0).max(100),
  restarts: z.number().int().nonnegative(),
});
export type AgentMetrics = z.infer<typeof AgentMetrics>;
