/**
 * OS notifications of the desktop: an approval request, a finished or a failed task,
 * fed by the core's `conversation.appended` events, and a serious problem, fed by its
 * `problems.changed` events; decided by the same rules as
 * the web UI (src/shared/coding-notifications.ts). Electron's `Notification` is
 * injected, so only index.ts imports electron.
 *
 * The main process cannot see which conversation the window shows, so it stays quiet
 * while the window is focused: then the person sees the conversation, the inbox badge
 * and the inline approval in the app itself.
 */
import type { Core } from '../core/core.js';
import type { OsNotification } from '../shared/coding-notifications.js';
import { notificationsFor, problemNotificationsFor } from '../shared/coding-notifications.js';

export interface DesktopNotifier {
  /** Shows one notification (Electron: `new Notification({ title, body }).show()`). */
  show(notification: OsNotification): void;
  /** True while our window is focused. */
  windowFocused(): boolean;
}

/** Starts notifying; returns a function that stops. */
export function notifyFromCore(core: Pick<Core, 'on'>, notifier: DesktopNotifier): () => void {
  const stops = [
    core.on('conversation.appended', ({ entries }) => {
      if (notifier.windowFocused()) return;
      for (const notification of notificationsFor(entries, null)) notifier.show(notification);
    }),
    core.on('problems.changed', (change) => {
      if (notifier.windowFocused()) return;
      for (const notification of problemNotificationsFor(change, null)) notifier.show(notification);
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
