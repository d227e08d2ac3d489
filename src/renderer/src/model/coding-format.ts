/**
 * How coding work reads at a glance: the advice a failed task shows per typed reason
 * (TaskFailureReason), and tokens, cost and durations in few characters.
 */
import type { TaskFailureReason } from '../../../shared/coding.js';

const ADVICE: Record<TaskFailureReason, string> = {
  'cli-missing':
    "Install the agent's CLI, or set its path: the manifest's `executable`, or SWITCHYARD_CLAUDE_PATH / SWITCHYARD_CODEX_PATH (docs/coding-agents.md).",
  'not-authenticated': 'Sign in with the CLI (`claude` / `codex login`), or set its API key (ANTHROPIC_API_KEY / OPENAI_API_KEY) for the app, then send again.',
  'model-error': "The model's service answered with an error. Try again; if it persists, check the manifest's model name.",
  'rate-limited': "The model's service is limiting this account's requests. Wait a little, then send again.",
  timeout: "The task ran past the manifest's taskTimeoutMs. Split the task, or raise the limit.",
  cancelled: 'The task was cancelled. Send a follow-up to continue it.',
  'workspace-invalid': 'The workspace is not a usable git repository. Start the agent again on a valid folder.',
  'bad-request': 'The agent could not read the task. Send the prompt as plain text.',
  internal: "Something failed inside Switchyard. The agent's log (Logs) has the details.",
};

export function adviceFor(reason: TaskFailureReason): string {
  return ADVICE[reason];
}

/** "1.2k", "340": token counts at a glance. */
export function formatTokens(count: number): string {
  if (count < 1_000) return String(count);
  if (count < 1_000_000) return `${(count / 1_000).toFixed(count < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}

/** "$0.0123", "$1.20", "—" when the SDK reported none. */
export function formatCost(usd: number | null): string {
  if (usd === null) return '—';
  if (usd === 0) return '$0';
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** "850 ms", "12.3 s", "4m 05s". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}
