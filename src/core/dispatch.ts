/**
 * The one place a contract call is turned into a handler call: name checked, input
 * parsed as unknown, errors turned into the result envelope. IPC and the bridge both
 * come through here.
 */
import type { CallInput, CallName, CallOutput, Result } from '../shared/contract.js';
import { calls, isCallName } from '../shared/contract.js';
import { UnknownCall, toErrorPayload } from '../shared/errors.js';
import { parseUnknown } from '../shared/parse.js';

export type Handlers = {
  [N in CallName]: (input: CallInput<N>) => CallOutput<N> | Promise<CallOutput<N>>;
};

export async function dispatch(handlers: Handlers, call: unknown, input: unknown): Promise<Result<unknown>> {
  try {
    if (!isCallName(call)) throw new UnknownCall(String(call));
    const parsed = parseUnknown(calls[call].input, input, `input of ${call}`);
    const handler = handlers[call] as (input: unknown) => unknown;
    const value = await handler(parsed);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: toErrorPayload(error) };
  }
}
