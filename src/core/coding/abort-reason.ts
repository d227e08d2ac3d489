/**
 * How the runtime tells an engine why a turn's signal was aborted: it calls
 * `controller.abort('timeout')` when the task ran past `taskTimeoutMs`, and
 * `controller.abort('cancelled')` (or with no reason) for a `task.cancel`. Every engine
 * reads it here, so `task.failed` carries the same reason whichever SDK ran the turn.
 */
import { EngineError } from './engine.js';

export type TurnAbortReason = 'timeout' | 'cancelled';

/** The reasons as the runtime passes them to `AbortController.abort(reason)`. */
export const TURN_ABORT = { timeout: 'timeout', cancelled: 'cancelled' } as const satisfies Record<TurnAbortReason, TurnAbortReason>;

/** `timeout` only when the signal was aborted with exactly that reason; anything else is a cancel. */
export function abortReasonOf(signal: AbortSignal): TurnAbortReason {
  return signal.reason === TURN_ABORT.timeout ? 'timeout' : 'cancelled';
}

/** The EngineError an aborted turn ends with. */
export function abortedTurnError(signal: AbortSignal, cause?: unknown): EngineError {
  const reason = abortReasonOf(signal);
  const message = reason === 'timeout' ? 'The task ran past its time limit (taskTimeoutMs) and was stopped.' : 'The task was cancelled.';
  return new EngineError(reason, message, undefined, { cause });
}
