/**
 * The desktop host's folder picker for a coding agent's workspace, over its own IPC
 * channel (the core has no window, so it is no contract call). The same sender check
 * as the contract; the dialog is injected so this file stays free of electron.
 */
import { IPC_PICK_FOLDER_CHANNEL } from '../shared/ipc-channels.js';
import type { IpcInvokeEvent, IpcMainLike } from './ipc-contract.js';

/** Electron's `dialog.showOpenDialog` answer, the part used here. */
export interface OpenDialogResult {
  canceled: boolean;
  filePaths: string[];
}

/**
 * Answers `pickFolder()` with the folder chosen, or null when the person cancels or
 * the sender is not our window. Returns a function that removes the handler.
 */
export function serveFolderPicker(
  ipcMain: IpcMainLike,
  isTrusted: (event: IpcInvokeEvent) => boolean,
  showOpenDialog: () => Promise<OpenDialogResult>,
): () => void {
  ipcMain.handle(IPC_PICK_FOLDER_CHANNEL, async (event) => {
    if (!isTrusted(event)) return null;
    const result = await showOpenDialog();
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
  return () => ipcMain.removeHandler(IPC_PICK_FOLDER_CHANNEL);
}
