/**
 * An agent's own panel in the Agents view: its conversation with the person, its task
 * worktrees (when it works in a workspace) and its usage, one tab at a time.
 */
import type { ReactNode } from 'react';
import type { AgentInfo } from '../../../shared/domain.js';
import { PanelFrame } from '../agents/panel-frame.js';
import { useAppStore } from '../store/app-store.js';
import { openAgent } from '../store/actions.js';
import type { AgentTab } from '../store/slices.js';
import { ConversationPanel } from './conversation-panel.js';
import { MetricsPanel } from './metrics-panel.js';
import { UsagePanel } from './usage-panel.js';
import { WorktreesPanel } from './worktrees-panel.js';
import './coding.css';

/** The workspace a coding agent works in, when its record says one. */
export function workspaceOf(agent: AgentInfo | undefined): string | null {
  const workspace = agent?.metadata.workspace;
  return typeof workspace === 'string' && workspace !== '' ? workspace : null;
}

function findAgent(agents: ReadonlyMap<string, AgentInfo>, name: string, repo: string | null): AgentInfo | undefined {
  if (repo !== null) {
    const own = agents.get(`${repo}/${name}`);
    if (own) return own;
  }
  for (const agent of agents.values()) if (agent.name === name) return agent;
  return undefined;
}

export function AgentPanel(props: { name: string; tab: AgentTab }): ReactNode {
  const { name } = props;
  const agent = useAppStore((state) => findAgent(state.agents, name, state.config?.repo ?? null));
  const workspace = workspaceOf(agent);
  const tabs: { tab: AgentTab; label: string }[] = [
    { tab: 'conversation', label: 'Conversation' },
    ...(workspace ? [{ tab: 'worktrees' as const, label: 'Worktrees' }] : []),
    { tab: 'usage', label: 'Usage' },
    { tab: 'metrics', label: 'Metrics' },
  ];
  const tab = tabs.some((t) => t.tab === props.tab) ? props.tab : 'conversation';
  return (
    <PanelFrame title={name} testId="panel-agent">
      <div className="tabs" role="tablist" aria-label={`${name}: views`}>
        {tabs.map((t) => (
          <button
            key={t.tab}
            type="button"
            role="tab"
            className="tabs__tab"
            aria-selected={t.tab === tab}
            data-testid={`agent-tab-${t.tab}`}
            onClick={() => openAgent(name, t.tab)}
          >
            {t.label}
          </button>
        ))}
        {agent ? (
          <span className="tabs__aside muted small">
            <span className="mono">{agent.type}</span>
            {workspace ? (
              <>
                {' '}
                in <span className="mono">{workspace}</span>
              </>
            ) : null}
          </span>
        ) : null}
      </div>
      <div role="tabpanel">
        {tab === 'conversation' ? <ConversationPanel peer={name} /> : null}
        {tab === 'worktrees' && workspace ? <WorktreesPanel agent={name} workspace={workspace} /> : null}
        {tab === 'usage' ? <UsagePanel agent={name} repo={agent?.repo} /> : null}
        {tab === 'metrics' ? <MetricsPanel agent={name} repo={agent?.repo} /> : null}
      </div>
    </PanelFrame>
  );
}
