/**
 * The Agents view's panels, one open at a time: each lives in its own file.
 */
import type { ReactNode } from 'react';
import { AgentPanel as AgentOwnPanel } from '../coding/agent-panel.js';
import type { AgentPanel } from '../store/slices.js';
import { LogsPanel } from './logs-panel.js';
import { SendPanel } from './send-panel.js';
import { SpawnPanel } from './spawn-panel.js';
import { StartPanel } from './start-panel.js';

/** The open panel of the Agents view, if any. */
export function AgentPanelView(props: { panel: NonNullable<AgentPanel> }): ReactNode {
  const { panel } = props;
  switch (panel.kind) {
    case 'agent':
      return <AgentOwnPanel key={panel.name} name={panel.name} tab={panel.tab} />;
    case 'start':
      return <StartPanel />;
    case 'spawn':
      return <SpawnPanel />;
    case 'send':
      return <SendPanel key={`${panel.from ?? ''}>${panel.to ?? ''}`} to={panel.to} from={panel.from} />;
    case 'logs':
      return <LogsPanel key={panel.name} name={panel.name} />;
  }
}
