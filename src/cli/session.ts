/**
 * A connection to a running core, as the verbs use it: typed calls by contract name and
 * event subscriptions, over the authenticated WebSocket bridge.
 */
import WebSocket from 'ws';
import { connectBridge } from '../shared/bridge-client.js';
import type { CallInput, CallName, CallOutput, EventName, EventPayload } from '../shared/contract.js';
import { listenerName } from '../shared/contract.js';
import { CannotReach } from './cli-errors.js';

export interface CliSession {
  call<N extends CallName>(name: N, input?: CallInput<N>): Promise<CallOutput<N>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Resolves when the core closes the connection (it quit). */
  closed: Promise<void>;
  close(): void;
}

type LooseApi = Record<string, unknown>;

/** Opens the bridge at `bridgeUrl` (ws://…/bridge?token=…); CannotReach when it will not open. */
export async function openSession(bridgeUrl: string, timeoutMs = 10_000): Promise<CliSession> {
  const socket = new WebSocket(bridgeUrl);
  let refusal = '';
  socket.on('unexpected-response', (_request, response) => {
    refusal = `the bridge answered ${response.statusCode} ${response.statusMessage ?? ''}`.trim();
    if (response.statusCode === 401) refusal += ': the token is wrong (a stale bridge.json or --url?)';
    socket.terminate();
  });
  socket.on('error', (error) => {
    refusal ||= error.message;
  });
  const timer = setTimeout(() => {
    refusal ||= `no answer within ${timeoutMs} ms`;
    socket.terminate();
  }, timeoutMs);
  try {
    const { api, close, closed } = await connectBridge(socket as unknown as Parameters<typeof connectBridge>[0]);
    const loose = api as unknown as LooseApi;
    return {
      call: (name, input) => {
        const dot = name.indexOf('.');
        const namespace = loose[name.slice(0, dot)] as Record<string, (input: unknown) => Promise<unknown>>;
        return namespace[name.slice(dot + 1)]!(input) as never;
      },
      on: (event, listener) => (loose[listenerName(event)] as (fn: typeof listener) => () => void)(listener),
      closed,
      close,
    };
  } catch {
    throw new CannotReach(`could not connect to Switchyard at ${redact(bridgeUrl)}: ${refusal || 'the connection closed'}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL without its token, for messages. */
export function redact(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  return parsed.toString();
}
