/**
 * "Enable notifications" in the top bar of the web UI: the only place the browser's
 * permission is asked for, on the person's click. Hidden once answered, and in
 * Electron (whose main process notifies).
 */
import type { ReactNode } from 'react';
import { useAppStore } from '../store/app-store.js';
import { askNotifyPermission } from '../store/web-notifications.js';

export function NotifyButton(): ReactNode {
  const permission = useAppStore((state) => state.notifyPermission);
  if (permission !== 'default') return null;
  return (
    <button
      type="button"
      className="button button--ghost button--small"
      data-testid="notify-enable"
      title="Show an OS notification when an agent asks for an approval or finishes a task, or a serious problem arises"
      onClick={() => void askNotifyPermission()}
    >
      Enable notifications
    </button>
  );
}
