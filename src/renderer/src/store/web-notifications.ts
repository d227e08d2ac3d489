/**
 * OS notifications in the web UI, through the browser's Notification API: only after
 * the person allowed them (asked from a button, never on load), and never for what is
 * on screen. In Electron the main process notifies instead (src/main/os-notifications.ts),
 * so the renderer stays quiet there.
 */
import type { ConversationEntry } from '../../../shared/coding-contract.js';
import type { OnScreen } from '../../../shared/coding-notifications.js';
import type { OsNotification } from '../../../shared/coding-notifications.js';
import { notificationsFor, problemNotificationsFor } from '../../../shared/coding-notifications.js';
import type { ProblemsChanged } from '../../../shared/problems.js';
import { useAppStore } from './app-store.js';
import type { AppState } from './slices.js';

/** The part of the browser's Notification API used here (tests pass their own). */
export interface NotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): { onclick: ((this: unknown, ev: Event) => unknown) | null };
}

function browserNotifications(): NotificationApi | null {
  return typeof Notification === 'function' ? (Notification as unknown as NotificationApi) : null;
}

/** What the person looks at: null while the page is hidden or another window is in front. */
export function screenOf(state: Pick<AppState, 'view' | 'agentPanel'>, page: { visible: boolean; focused: boolean }): OnScreen | null {
  if (!page.visible || !page.focused) return null;
  const panel = state.agentPanel;
  return {
    conversation: state.view === 'agents' && panel?.kind === 'agent' && panel.tab === 'conversation' ? panel.name : null,
    approvals: state.view === 'approvals',
  };
}

function pageNow(): { visible: boolean; focused: boolean } {
  return { visible: document.visibilityState === 'visible', focused: document.hasFocus() };
}

/** Reads the permission once connected over the bridge; Electron keeps 'unsupported'. */
export function initNotifyPermission(transport: 'preload' | 'bridge', api: NotificationApi | null = browserNotifications()): void {
  useAppStore.setState({ notifyPermission: transport === 'bridge' && api ? api.permission : 'unsupported' });
}

/** The "Enable notifications" button: the only place the permission is asked for. */
export async function askNotifyPermission(api: NotificationApi | null = browserNotifications()): Promise<void> {
  if (!api) return;
  const permission = await api.requestPermission();
  useAppStore.setState({ notifyPermission: permission });
}

/** Shows what appended entries deserve, when allowed; a click brings the page and the agent forward. */
export function notifyEntries(
  entries: readonly ConversationEntry[],
  open: (peer: string) => void,
  api: NotificationApi | null = browserNotifications(),
  page: { visible: boolean; focused: boolean } = pageNow(),
): number {
  const state = useAppStore.getState();
  if (!api || state.notifyPermission !== 'granted') return 0;
  return show(api, notificationsFor(entries, screenOf(state, page)), (note) => {
    if (note.peer !== null) open(note.peer);
  });
}

/**
 * Shows the serious problems just raised, when allowed and while the page is not in
 * front (the bell says it then); a click brings the page forward with the centre open.
 */
export function notifyProblems(
  change: ProblemsChanged,
  openCentre: () => void,
  api: NotificationApi | null = browserNotifications(),
  page: { visible: boolean; focused: boolean } = pageNow(),
): number {
  const state = useAppStore.getState();
  if (!api || state.notifyPermission !== 'granted') return 0;
  return show(api, problemNotificationsFor(change, screenOf(state, page)), openCentre);
}

function show(api: NotificationApi, notes: readonly OsNotification[], click: (note: OsNotification) => void): number {
  for (const note of notes) {
    const shown = new api(note.title, { body: note.body, tag: note.tag });
    shown.onclick = () => {
      window.focus();
      click(note);
    };
  }
  return notes.length;
}
