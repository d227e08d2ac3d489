/**
 * How a turn is stopped: its AbortController is aborted with the plain reason
 * `'cancelled'` or `'timeout'` (what every engine reads from `signal.reason`), and the
 * sentence for `task.failed` is kept beside the signal for the runtime.
 */
import type { TaskFailureReason } from '../../shared/coding.js';

export type AbortReason = Extract<TaskFailureReason, 'cancelled' | 'timeout'>;

const messages = new WeakMap<AbortSignal, string>();

/** Aborts the turn with `reason`; `message` says why in its task.failed. */
export function abortTurn(controller: AbortController, reason: AbortReason, message: string): void {
  if (controller.signal.aborted) return;
  messages.set(controller.signal, message);
  controller.abort(reason);
}

/** Why the turn was stopped, when the runtime stopped it. */
export function abortCause(signal: AbortSignal): { reason: AbortReason; message: string } | undefined {
  if (!signal.aborted || (signal.reason !== 'cancelled' && signal.reason !== 'timeout')) return undefined;
  return { reason: signal.reason, message: messages.get(signal) ?? `the task was ${signal.reason === 'timeout' ? 'stopped at its time limit' : 'cancelled'}` };
}
