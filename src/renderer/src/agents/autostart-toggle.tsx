/**
 * "Start with the app in <repo>": a local type set here starts by itself at every launch
 * (unless the user stopped its agent). Kept per repo by the core (`autostart.get/set`).
 */
import { useEffect, useId, useState } from 'react';
import type { ReactNode } from 'react';
import type { AutostartView } from '../../../shared/autostart.js';
import { CallError } from '../common/call-error.js';
import { useCall } from '../common/use-call.js';
import { coreApi } from '../store/actions.js';
import { useAppStore } from '../store/app-store.js';

export function AutostartToggle(props: { type: string }): ReactNode {
  const repo = useAppStore((state) => state.config?.repo);
  const [view, setView] = useState<AutostartView | null>(null);
  const [saved, save] = useCall((type: string, enabled: boolean) => coreApi().autostart.set({ type, enabled }));
  const id = useId();
  useEffect(() => {
    let current = true;
    coreApi()
      .autostart.get({})
      .then((value) => current && setView(value))
      // An older core without the call: no toggle rather than an error about it.
      .catch(() => current && setView(null));
    return () => {
      current = false;
    };
  }, [repo]);
  if (!view) return null;
  const checked = view.types.includes(props.type);
  const toggle = async (enabled: boolean): Promise<void> => {
    const next = await save(props.type, enabled);
    if (next) setView(next);
  };
  return (
    <div className="inline-form">
      <input id={id} type="checkbox" checked={checked} disabled={saved.phase === 'running'} onChange={(e) => void toggle(e.target.checked)} data-testid="start-autostart" />
      <label htmlFor={id}>
        Start <span className="mono">{props.type}</span> with the app in <span className="mono">{view.repo}</span>
      </label>
      {saved.phase === 'failed' ? <CallError error={saved.error} /> : null}
    </div>
  );
}
