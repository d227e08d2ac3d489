/**
 * The preload: exposes the contract as `window.switchyard` — named functions and `onX`
 * subscriptions built from the contract — and the desktop host's own function (the
 * folder picker) as `window.switchyardHost`; never ipcRenderer itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { createContractClient } from '../shared/contract-client.js';
import type { Result } from '../shared/contract.js';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, IPC_PICK_FOLDER_CHANNEL } from '../shared/ipc-channels.js';
import type { SwitchyardHostApi } from './api.js';

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

const host: SwitchyardHostApi = {
  pickFolder: async () => {
    const folder: unknown = await ipcRenderer.invoke(IPC_PICK_FOLDER_CHANNEL);
    return typeof folder === 'string' && folder !== '' ? folder : null;
  },
};
contextBridge.exposeInMainWorld('switchyardHost', host);
