// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { notificationsFor } from '../../../src/shared/coding-notifications.js';
import { resetAppStore, useAppStore } from '../../../src/renderer/src/store/app-store.js';
import type { NotificationApi } from '../../../src/renderer/src/store/web-notifications.js';
import { askNotifyPermission, initNotifyPermission, notifyEntries, screenOf } from '../../../src/renderer/src/store/web-notifications.js';
import { completed, entry, failed, progress, started } from './coding-fixtures.js';

const request = (peer = 'coder') =>
  entry(
    'approval.requested',
    { approvalId: 'appr-0001', taskId: 't1', tool: 'Bash', summary: 'Bash: rm -rf build', input: {}, cwd: '/repo', expiresAt: 1 },
    { peer },
  );

describe('which messages notify', () => {
  it('approval requests and finished or failed tasks do; progress, starts, own messages and broken bodies do not', () => {
    const notes = notificationsFor(
      [
        started('t1'),
        progress('t1', 1, [{ type: 'text', text: 'hi' }]),
        request(),
        completed('t1', { text: 'Wrote hello.txt.\nMore detail.' }),
        failed({ reason: 'rate-limited', message: '429 Too Many Requests' }),
        entry('task.assigned', 'do it', { direction: 'out' }),
        entry('task.completed', { broken: true }),
      ],
      null,
    );
    expect(notes.map((n) => [n.kind, n.title, n.body])).toEqual([
      ['approval', 'coder asks to use Bash', 'Bash: rm -rf build'],
      ['completed', 'coder finished a task (1 file changed)', 'Wrote hello.txt.'],
      ['failed', 'coder: task failed (rate-limited)', '429 Too Many Requests'],
    ]);
    expect(new Set(notes.map((n) => n.tag)).size).toBe(3);
  });

  it('stays quiet for the conversation on screen, and for approvals while the inbox is on screen', () => {
    const batch = [request('coder'), completed('t1'), request('reviewer')];
    expect(notificationsFor(batch, { conversation: 'coder', approvals: false }).map((n) => n.peer)).toEqual(['reviewer']);
    expect(notificationsFor(batch, { conversation: null, approvals: true }).map((n) => n.kind)).toEqual(['completed']);
    expect(notificationsFor(batch, { conversation: 'other', approvals: false })).toHaveLength(3);
  });

  it('sees a conversation as on screen only when the page is visible and focused', () => {
    const state = { view: 'agents' as const, agentPanel: { kind: 'agent' as const, name: 'coder', tab: 'conversation' as const } };
    expect(screenOf(state, { visible: true, focused: true })).toEqual({ conversation: 'coder', approvals: false });
    expect(screenOf({ ...state, agentPanel: { ...state.agentPanel, tab: 'usage' } }, { visible: true, focused: true })?.conversation).toBeNull();
    expect(screenOf(state, { visible: true, focused: false })).toBeNull();
    expect(screenOf(state, { visible: false, focused: true })).toBeNull();
    expect(screenOf({ view: 'approvals', agentPanel: null }, { visible: true, focused: true })).toEqual({ conversation: null, approvals: true });
  });
});

/** A stand-in for the browser's Notification constructor that records what it was asked to show. */
function fakeNotifications(permission: NotificationPermission, answer: NotificationPermission = 'granted') {
  const shown: { title: string; options?: NotificationOptions }[] = [];
  let asked = 0;
  const Api = class {
    static permission = permission;
    static requestPermission(): Promise<NotificationPermission> {
      asked++;
      Api.permission = answer;
      return Promise.resolve(answer);
    }
    onclick: ((this: unknown, ev: Event) => unknown) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, options });
    }
  };
  return { api: Api as unknown as NotificationApi, shown, asked: () => asked };
}

describe('web notifications', () => {
  beforeEach(() => resetAppStore());
  const page = { visible: true, focused: false };

  it('asks for permission only when the person clicks, and notifies only once it is granted', async () => {
    const fake = fakeNotifications('default');
    initNotifyPermission('bridge', fake.api);
    expect(fake.asked()).toBe(0);
    expect(useAppStore.getState().notifyPermission).toBe('default');
    expect(notifyEntries([completed('t1')], () => {}, fake.api, page)).toBe(0);
    await askNotifyPermission(fake.api);
    expect(fake.asked()).toBe(1);
    expect(useAppStore.getState().notifyPermission).toBe('granted');
    expect(notifyEntries([completed('t1')], () => {}, fake.api, page)).toBe(1);
    expect(fake.shown[0]?.title).toBe('coder finished a task (1 file changed)');
  });

  it('is off in Electron, whose main process notifies', () => {
    const fake = fakeNotifications('granted');
    initNotifyPermission('preload', fake.api);
    expect(useAppStore.getState().notifyPermission).toBe('unsupported');
    expect(notifyEntries([completed('t1')], () => {}, fake.api, page)).toBe(0);
  });
});
