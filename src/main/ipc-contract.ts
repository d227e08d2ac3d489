/**
 * IPC handlers generated from the contract. Every call goes through one channel: the
 * sender is checked first, then the call name and input are parsed by the core's
 * dispatcher as unknown. Electron types are described structurally so this file stays
 * free of the electron import (only index.ts has it).
 */
import type { Core } from '../core/core.js';
import { eventNames } from '../shared/contract.js';
import { NotAllowed, toErrorPayload } from '../shared/errors.js';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/ipc-channels.js';
import { isOurPage } from './security-policy.js';

export interface IpcInvokeEvent {
  sender: { id: number };
  senderFrame: { url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/**
 * The sender check for our one window: the message must come from that window's
 * webContents and from a frame showing our renderer page (not a frame that navigated
 * elsewhere, not another window). Reads the window id and page URL on each call, since
 * the window can be recreated.
 */
export function isOurWindowSender(
  expected: () => { webContentsId: number; rendererUrl: string } | undefined,
): (event: IpcInvokeEvent) => boolean {
  return (event) => {
    const ours = expected();
    return ours !== undefined && event.sender.id === ours.webContentsId && isOurPage(event.senderFrame?.url, ours.rendererUrl);
  };
}

/**
 * Serves the contract over IPC to senders `isTrusted` accepts, and forwards every core
 * event to `target`. Returns a function that undoes both.
 */
export function serveContractOverIpc(
  ipcMain: IpcMainLike,
  core: Pick<Core, 'call' | 'on'>,
  isTrusted: (event: IpcInvokeEvent) => boolean,
  target: () => EventTarget | undefined,
): () => void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, call, input) => {
    if (!isTrusted(event)) {
      return { ok: false, error: toErrorPayload(new NotAllowed('IPC from an unknown sender was refused')) };
    }
    return core.call(call, input);
  });
  const stops = eventNames.map((name) =>
    core.on(name, (payload) => {
      const webContents = target();
      if (webContents && !webContents.isDestroyed()) webContents.send(IPC_EVENT_CHANNEL, name, payload);
    }),
  );
  return () => {
    ipcMain.removeHandler(IPC_CALL_CHANNEL);
    stops.forEach((stop) => stop());
  };
}
