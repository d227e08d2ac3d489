/**
 * Where the chosen type will run, said before the start: the same rule the core applies
 * to `agents.start` (src/shared/start-placement.ts), read from the config the UI holds.
 */
import type { ReactNode } from 'react';
import type { StartPlacement } from '../../../shared/start-placement.js';
import { startPlacementOf } from '../../../shared/start-placement.js';
import { useAppStore } from '../store/app-store.js';

const SAYS: Record<StartPlacement, { badge: string; text: string }> = {
  local: { badge: 'local', text: 'Runs on this machine.' },
  remote: { badge: 'remote', text: 'Runs on the team: a spawn request goes to the coordinator, and the agent shows as remote.' },
  'remote-or-local': {
    badge: 'remote · local fallback',
    text: 'Runs on the team; while the team cannot be reached it starts on this machine instead (fall back to local).',
  },
};

/** The placement of `type`, or null until the config is known. */
export function useStartPlacement(type: string | undefined): StartPlacement | null {
  const config = useAppStore((state) => state.config);
  return config && type ? startPlacementOf(type, config) : null;
}

export function StartPlacementLine(props: { placement: StartPlacement | null }): ReactNode {
  if (props.placement === null) return null;
  const says = SAYS[props.placement];
  return (
    <p className="small" data-testid="start-placement" data-placement={props.placement}>
      <span className={`pill pill--${props.placement === 'local' ? 'ok' : 'pending'}`}>{says.badge}</span> {says.text}
    </p>
  );
}
