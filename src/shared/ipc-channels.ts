/**
 * The two IPC channels the contract travels on in Electron: one for calls, one for
 * events. Every call and event name is carried inside, checked against the contract.
 */
export const IPC_CALL_CHANNEL = 'switchyard:call';
export const IPC_EVENT_CHANNEL = 'switchyard:event';
/** The desktop host's folder picker (window.switchyardHost.pickFolder): not a contract call, the core has no window. */
export const IPC_PICK_FOLDER_CHANNEL = 'switchyard:pick-folder';
