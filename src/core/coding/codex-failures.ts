/**
 * Why a Codex turn failed, as a TaskFailureReason. The SDK hands over text only (a
 * `turn.failed` / `error` event's message, or an Error when the CLI exits badly), so the
 * reason is read from the CLI's wording, measured against Codex 0.169:
 *   401 → "unexpected status 401 Unauthorized: …"
 *   429 → "exceeded retry limit, last status: 429 Too Many Requests"
 *   500 → "We're currently experiencing high demand, …" (no status in it)
 * A cancel or timeout is known from the abort signal, never from the text.
 */
import type { TaskFailureReason } from '../../shared/coding.js';
import { EngineError } from './engine.js';

const NOT_AUTHENTICATED = [
  /\b401\b/,
  /\b403\b/,
  /unauthori[sz]ed/i,
  /invalid[_ ]api[_ ]key/i,
  /incorrect api key/i,
  /missing environment variable/i,
  /not logged in/i,
  /\blog ?in\b.*\b(required|again)\b/i,
  /authentication/i,
];
const RATE_LIMITED = [/\b429\b/, /too many requests/i, /rate[_ ]limit/i, /usage limit/i, /quota/i];

/** The failure reason a Codex error message stands for; anything unrecognised is the model's. */
export function codexFailureReason(message: string): Extract<TaskFailureReason, 'not-authenticated' | 'rate-limited' | 'model-error'> {
  if (NOT_AUTHENTICATED.some((pattern) => pattern.test(message))) return 'not-authenticated';
  if (RATE_LIMITED.some((pattern) => pattern.test(message))) return 'rate-limited';
  return 'model-error';
}

/** What a user should do about a reason, appended to the message. */
const ADVICE: Partial<Record<TaskFailureReason, string>> = {
  'not-authenticated': 'Log in with `codex login`, or set the API key your Codex provider reads (OPENAI_API_KEY by default).',
  'rate-limited': 'The model provider is rate-limiting this key: wait and send the task again.',
};

/** An EngineError for a failed turn whose CLI said `message`. */
export function codexTurnFailure(message: string): EngineError {
  const reason = codexFailureReason(message);
  const advice = ADVICE[reason];
  return new EngineError(reason, `Codex: ${message.trim()}${advice ? ` ${advice}` : ''}`);
}

/**
 * The reason an aborted turn ended: the runtime aborts with 'timeout' or 'cancelled';
 * `AbortSignal.timeout()` aborts with a TimeoutError.
 */
export function abortReason(signal: AbortSignal): 'timeout' | 'cancelled' {
  const reason: unknown = signal.reason;
  if (reason === 'timeout') return 'timeout';
  if (reason instanceof Error && (reason.name === 'TimeoutError' || reason.message === 'timeout')) return 'timeout';
  return 'cancelled';
}

/** An EngineError for a turn stopped by its abort signal. */
export function codexAborted(signal: AbortSignal, cause?: unknown): EngineError {
  const reason = abortReason(signal);
  return new EngineError(reason, reason === 'timeout' ? 'Codex: the task ran past its time limit and was stopped.' : 'Codex: the task was cancelled.', undefined, { cause });
}

/**
 * Any other throw from the SDK: the CLI could not start (ENOENT, EACCES: the executable
 * went away after it was resolved) or it exited without saying why in an event.
 */
export function codexUnexpected(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOENT' || code === 'EACCES') {
    return new EngineError('cli-missing', `Codex CLI could not be started (${String(code)}): ${message}. Install it with \`npm install -g @openai/codex\`, or set SWITCHYARD_CODEX_PATH (or the manifest's "executable") to its path.`, undefined, { cause: error });
  }
  const reason = codexFailureReason(message);
  return new EngineError(reason === 'model-error' ? 'internal' : reason, `Codex: ${withoutNoise(message)}`, undefined, { cause: error });
}

/**
 * The CLI's stderr as the SDK quotes it, without the line `codex exec` prints at every
 * start: what is left says why it stopped (a lost session: "no rollout found for thread id").
 */
function withoutNoise(message: string): string {
  const exit = /^Codex Exec exited with (code \d+|signal \w+):\s*/.exec(message);
  const rest = (exit ? message.slice(exit[0].length) : message)
    .replaceAll('Reading prompt from stdin...', '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
  return exit ? `the CLI exited (${exit[1]}): ${rest}` : rest;
}
