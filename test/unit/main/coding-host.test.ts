/**
 * The desktop host's coding-agent pieces with fake Electron objects: OS notifications
 * fed by the core's events, and the folder picker behind the sender check.
 */
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../src/core/events.js';
import { serveFolderPicker } from '../../../src/main/folder-picker.js';
import type { IpcInvokeEvent, IpcMainLike } from '../../../src/main/ipc-contract.js';
import { notifyFromCore } from '../../../src/main/os-notifications.js';
import type { ConversationEntry } from '../../../src/shared/coding-contract.js';
import type { OsNotification } from '../../../src/shared/coding-notifications.js';
import { IPC_PICK_FOLDER_CHANNEL } from '../../../src/shared/ipc-channels.js';

const EVENT: IpcInvokeEvent = { sender: { id: 1 }, senderFrame: { url: 'app://switchyard/index.html' } };

function entry(messageId: string, kind: ConversationEntry['kind'], body: ConversationEntry['body']): ConversationEntry {
  return { messageId, at: 1, direction: 'in', peer: 'coder', repo: 'demo', kind, body, taskId: 't1' };
}

describe('desktop notifications', () => {
  it('notifies from conversation.appended while the window is not focused, and stops when told', () => {
    const hub = new EventHub();
    const shown: OsNotification[] = [];
    let focused = false;
    const stop = notifyFromCore(hub, { show: (n) => shown.push(n), windowFocused: () => focused });
    const failed = entry('msg-0000001', 'task.failed', { taskId: 't1', inReplyTo: 'msg-0000000', reason: 'timeout', message: 'ran 30 min' });
    hub.emit('conversation.appended', { entries: [failed] });
    focused = true;
    hub.emit('conversation.appended', { entries: [{ ...failed, messageId: 'msg-0000002' }] });
    focused = false;
    stop();
    hub.emit('conversation.appended', { entries: [{ ...failed, messageId: 'msg-0000003' }] });
    expect(shown.map((n) => [n.title, n.body])).toEqual([['coder: task failed (timeout)', 'ran 30 min']]);
  });
});

describe('folder picker', () => {
  function setup(trusted: boolean, result: { canceled: boolean; filePaths: string[] }) {
    const handlers = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => unknown>();
    const ipcMain: IpcMainLike = {
      handle: (channel, listener) => void handlers.set(channel, listener),
      removeHandler: (channel) => void handlers.delete(channel),
    };
    let opened = 0;
    const stop = serveFolderPicker(ipcMain, () => trusted, () => {
      opened++;
      return Promise.resolve(result);
    });
    return { pick: () => handlers.get(IPC_PICK_FOLDER_CHANNEL)!(EVENT), opened: () => opened, stop, handlers };
  }

  it('answers with the chosen folder, or null on cancel', async () => {
    expect(await setup(true, { canceled: false, filePaths: ['/home/ada/repo'] }).pick()).toBe('/home/ada/repo');
    expect(await setup(true, { canceled: true, filePaths: [] }).pick()).toBeNull();
  });

  it('opens no dialog for a sender that is not our window', async () => {
    const picker = setup(false, { canceled: false, filePaths: ['/etc'] });
    expect(await picker.pick()).toBeNull();
    expect(picker.opened()).toBe(0);
    picker.stop();
    expect(picker.handlers.size).toBe(0);
  });
});
