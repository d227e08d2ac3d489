/**
 * The preload: exposes the contract as `window.switchyard` — named functions and `onX`
 * subscriptions built from the contract — and never ipcRenderer itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { createContractClient } from '../shared/contract-client.js';
import type { Result } from '../shared/contract.js';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/ipc-channels.js';

const api = createContractClient({
  invoke: (call, input) => ipcRenderer.invoke(IPC_CALL_CHANNEL, call, input) as Promise<Result<unknown>>,
  subscribe(event, listener) {
    const handler = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.off(IPC_EVENT_CHANNEL, handler);
    };
  },
});

contextBridge.exposeInMainWorld('switchyard', api);
