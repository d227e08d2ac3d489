import type { ReactNode } from 'react';
import { BridgeScreen } from './shell/bridge-screen.js';
import { Shell } from './shell/shell.js';
import { useAppStore } from './store/app-store.js';

/**
 * The root: a full-window screen until the core has answered once, then the shell
 * (which keeps showing the last state, under a banner, if the core drops later).
 */
export function App(): ReactNode {
  const bridge = useAppStore((state) => state.bridge);
  const hasState = useAppStore((state) => state.config !== null);
  if (!hasState || bridge.status === 'missing-token') return <BridgeScreen bridge={bridge} />;
  return <Shell />;
}
