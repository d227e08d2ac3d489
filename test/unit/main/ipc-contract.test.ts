/**
 * The IPC seam with fake Electron objects (the types are structural): a call from a
 * sender that is not our window's page is refused before the core sees it.
 */
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../src/core/events.js';
import type { IpcInvokeEvent, IpcMainLike } from '../../../src/main/ipc-contract.js';
import { isOurWindowSender, serveContractOverIpc } from '../../../src/main/ipc-contract.js';
import { APP_ENTRY_URL } from '../../../src/main/security-policy.js';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../../src/shared/ipc-channels.js';

type Handler = (event: IpcInvokeEvent, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  return { ipcMain, handlers };
}

function fakeCore() {
  const calls: Array<[unknown, unknown]> = [];
  const hub = new EventHub();
  return {
    calls,
    hub,
    core: {
      call: async (call: unknown, input: unknown) => {
        calls.push([call, input]);
        return { ok: true as const, value: { answered: call } };
      },
      on: hub.on.bind(hub),
    },
  };
}

const WINDOW_ID = 7;
const event = (senderId: number, frameUrl: string | null): IpcInvokeEvent => ({
  sender: { id: senderId },
  senderFrame: frameUrl === null ? null : { url: frameUrl },
});

function serve() {
  const { ipcMain, handlers } = fakeIpcMain();
  const { core, calls, hub } = fakeCore();
  const sent: unknown[][] = [];
  const target = { destroyed: false, isDestroyed: () => target.destroyed, send: (...args: unknown[]) => void sent.push(args) };
  const isTrusted = isOurWindowSender(() => ({ webContentsId: WINDOW_ID, rendererUrl: APP_ENTRY_URL }));
  const stop = serveContractOverIpc(ipcMain, core, isTrusted, () => target);
  const invoke = (e: IpcInvokeEvent, call: unknown, input?: unknown) => {
    const handler = handlers.get(IPC_CALL_CHANNEL);
    if (!handler) throw new Error('no handler on the call channel');
    return handler(e, call, input);
  };
  return { invoke, calls, hub, sent, target, stop, handlers };
}

describe('serveContractOverIpc', () => {
  it('answers a call from our window showing our page (any hash route)', async () => {
    const { invoke, calls } = serve();
    await expect(invoke(event(WINDOW_ID, `${APP_ENTRY_URL}#/settings`), 'system.info')).resolves.toEqual({
      ok: true,
      value: { answered: 'system.info' },
    });
    expect(calls).toEqual([['system.info', undefined]]);
  });

  it.each([
    ['a frame showing a remote page', event(WINDOW_ID, 'https://evil.example/index.html')],
    ['a file:// page', event(WINDOW_ID, 'file:///tmp/index.html')],
    ['another app:// host', event(WINDOW_ID, 'app://other/index.html')],
    ['another path of ours', event(WINDOW_ID, 'app://switchyard/other.html')],
    ['a frame that has gone (null senderFrame)', event(WINDOW_ID, null)],
    ['an unparseable frame URL', event(WINDOW_ID, 'not a url')],
    ['another webContents showing our page', event(WINDOW_ID + 1, APP_ENTRY_URL)],
  ])('refuses %s with NotAllowed, and the core never sees the call', async (_what, untrusted) => {
    const { invoke, calls } = serve();
    const result = (await invoke(untrusted, 'settings.update', { apiToken: 'stolen' })) as {
      ok: boolean;
      error?: { name: string; message: string };
    };
    expect(result.ok).toBe(false);
    expect(result.error?.name).toBe('NotAllowed');
    expect(result.error?.message).toMatch(/unknown sender was refused/);
    expect(calls).toEqual([]);
  });

  it('refuses everything while there is no window', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const { core, calls } = fakeCore();
    serveContractOverIpc(ipcMain, core, isOurWindowSender(() => undefined), () => undefined);
    const result = (await handlers.get(IPC_CALL_CHANNEL)?.(event(WINDOW_ID, APP_ENTRY_URL), 'system.info')) as { ok: boolean };
    expect(result.ok).toBe(false);
    expect(calls).toEqual([]);
  });

  it('forwards core events to the window until it is destroyed, and stop() undoes everything', () => {
    const { hub, sent, target, stop, handlers } = serve();
    const payload = { state: 'offline' } as never;
    hub.emit('connection.changed', payload);
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, 'connection.changed', payload]]);

    target.destroyed = true;
    hub.emit('connection.changed', payload);
    expect(sent).toHaveLength(1);

    target.destroyed = false;
    stop();
    hub.emit('connection.changed', payload);
    expect(sent).toHaveLength(1);
    expect(handlers.has(IPC_CALL_CHANNEL)).toBe(false);
  });
});
