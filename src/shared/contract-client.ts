/**
 * Builds a {@link SwitchyardApi} over any transport, by looping over the contract.
 *
 * The preload uses it over Electron IPC, the renderer over the WebSocket bridge, the CLI
 * over the same bridge. Outputs and event payloads are parsed here too: the client
 * trusts nothing it receives.
 */
import type { CallName, EventName, Result, SwitchyardApi } from './contract.js';
import { callNames, calls, eventNames, events, listenerName } from './contract.js';
import type { FieldIssue } from './errors.js';

/** A call that came back `{ok:false}`: carries the core's error name and issues. */
export class ContractCallError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

export interface ContractTransport {
  invoke(call: CallName, input: unknown): Promise<Result<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

export function createContractClient(transport: ContractTransport): SwitchyardApi {
  const api: Record<string, unknown> = {};
  for (const call of callNames) {
    const [ns, method] = splitCall(call);
    const namespace = (api[ns] ??= {}) as Record<string, unknown>;
    namespace[method] = async (input?: unknown) => {
      const result = await transport.invoke(call, input);
      if (!result.ok) throw new ContractCallError(result.error.name, result.error.message, result.error.issues);
      return calls[call].output.parse(result.value);
    };
  }
  for (const event of eventNames) {
    api[listenerName(event)] = (listener: (payload: unknown) => void) =>
      transport.subscribe(event, (payload) => {
        const parsed = events[event].safeParse(payload);
        if (parsed.success) listener(parsed.data);
      });
  }
  return api as SwitchyardApi;
}

function splitCall(call: string): [string, string] {
  const dot = call.indexOf('.');
  return [call.slice(0, dot), call.slice(dot + 1)];
}
