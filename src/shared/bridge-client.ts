/**
 * A contract client over the WebSocket bridge. Works with the browser's WebSocket and
 * with `ws` in Node (the CLI and the tests), since it uses only the standard surface.
 */
import type { ContractTransport } from './contract-client.js';
import { createContractClient } from './contract-client.js';
import type { CallName, EventName, Result, SwitchyardApi } from './contract.js';
import { ServerFrame } from './bridge-protocol.js';

interface MinimalSocket {
  readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: (event: unknown) => void): void;
}

export interface BridgeConnection {
  api: SwitchyardApi;
  close(): void;
  /** Resolves when the socket closes, for whatever reason. */
  closed: Promise<void>;
}

/** Opens the socket and resolves once it is open; rejects if it closes first. */
export function connectBridge(socket: MinimalSocket): Promise<BridgeConnection> {
  let nextId = 1;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  let markClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (markClosed = resolve));

  socket.addEventListener('message', (event) => {
    let frame: ServerFrame;
    try {
      frame = ServerFrame.parse(JSON.parse(String(event.data)));
    } catch {
      return;
    }
    if (frame.type === 'result') {
      if (frame.id === null) return;
      pending.get(frame.id)?.(frame.result as Result<unknown>);
      pending.delete(frame.id);
    } else {
      for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) {
      resolve({ ok: false, error: { name: 'Disconnected', message: 'the connection to Switchyard closed' } });
    }
    pending.clear();
    markClosed();
  });

  const transport: ContractTransport = {
    invoke(call: CallName, input: unknown) {
      return new Promise((resolve) => {
        if (socket.readyState !== 1) {
          resolve({ ok: false, error: { name: 'Disconnected', message: 'not connected to Switchyard' } });
          return;
        }
        const id = nextId++;
        pending.set(id, resolve);
        socket.send(JSON.stringify({ type: 'call', id, call, input }));
      });
    },
    subscribe(event: EventName, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };

  return new Promise((resolve, reject) => {
    const ready = (): void => resolve({ api: createContractClient(transport), close: () => socket.close(), closed });
    if (socket.readyState === 1) return ready();
    socket.addEventListener('open', ready);
    socket.addEventListener('close', () => reject(new Error('the bridge refused the connection')));
  });
}
