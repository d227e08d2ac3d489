import { useMemo } from 'react';
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../common/empty-state.js';
import { useAppStore } from '../store/app-store.js';
import { openAgentPanel, resetAgentFilter, setAgentActionError, setShowEnded, showView } from '../store/actions.js';
import { AgentPanelView } from './agent-panels.js';
import { EMPTY_FILTER, filterAgents, groupIntoBands, isFilterActive, listedCount } from '../model/agent-bands.js';
import { foldEnded } from '../model/ended-agents.js';
import { AgentBand } from './agent-band.js';
import { AgentToolbar } from './agent-toolbar.js';
import { useFoldNow } from './use-fold-now.js';
import './agents.css';

/** Agents in three ownership bands, with filters and search; ended workers fold away after a minute. */
export function AgentsView(): ReactNode {
  const filter = useAppStore((state) => state.agentFilter);
  const repoChoice = useAppStore((state) => state.repoChoice);
  const total = useAppStore((state) => listedCount(state.agents.values(), state.repoChoice));
  const loaded = useAppStore((state) => state.agentsLoaded);
  const hybrid = useAppStore((state) => state.config?.enabled ?? false);
  // A row names its repo when it is not the one in view: with "All repos" (and several), every row does.
  const currentRepo = useAppStore((state) =>
    state.repoChoice ?? (state.repos.length > 1 ? null : (state.config?.repo ?? null)),
  );
  // The same records in the same order give the same array: no re-render.
  const matching = useAppStore(useShallow((state) => filterAgents(state.agents.values(), state.agentFilter, state.repoChoice)));
  const ended = useAppStore((state) => state.endedSince);
  const showEnded = useAppStore((state) => state.showEnded);
  const now = useFoldNow(matching, ended);
  const { shown: visible, folded } = useMemo(() => foldEnded(matching, ended, now, showEnded), [matching, ended, now, showEnded]);
  const bands = useMemo(() => groupIntoBands(visible), [visible]);
  const hiding = isFilterActive(filter) || visible.length < total;
  const panel = useAppStore((state) => state.agentPanel);
  const actionError = useAppStore((state) => state.agentActionError);

  return (
    <section className="view" aria-labelledby="agents-title">
      <div className="view__header">
        <h1 id="agents-title">Agents</h1>
        <span className="view__meta" data-testid="agents-count">
          {hiding ? `${visible.length} of ${total}` : `${total}`} {total === 1 ? 'agent' : 'agents'}
          {repoChoice ? ` in ${repoChoice}` : ''}
        </span>
        <div className="view__actions">
          <button type="button" className="button button--primary" data-testid="open-start" onClick={() => openAgentPanel(panel?.kind === 'start' ? null : { kind: 'start' })}>
            Start agent
          </button>
          <button type="button" className="button" data-testid="open-send" onClick={() => openAgentPanel(panel?.kind === 'send' ? null : { kind: 'send' })}>
            Send message
          </button>
          <button type="button" className="button" data-testid="open-spawn" onClick={() => openAgentPanel(panel?.kind === 'spawn' ? null : { kind: 'spawn' })}>
            Spawn worker
          </button>
        </div>
      </div>
      {panel ? <AgentPanelView panel={panel} /> : null}
      {actionError ? (
        <div className="call-error call-error--dismissable" role="alert" data-testid="agent-action-error" data-error-name={actionError.name}>
          <span className="call-error__name mono">{actionError.name}</span>
          <span className="call-error__message">
            {actionError.action} {actionError.agent}: {actionError.message}
          </span>
          <button type="button" className="button button--ghost button--small" aria-label="Dismiss" onClick={() => setAgentActionError(null)}>
            ✕
          </button>
        </div>
      ) : null}
      <AgentToolbar ended={folded} />
      {!loaded ? (
        <p className="muted" aria-busy="true">Loading agents…</p>
      ) : total === 0 ? (
        <EmptyState title="No agents yet" testId="agents-empty" icon="◇">
          <p>
            No agents yet. Start a local agent from a manifest, or enable hybrid mode in Settings to see your team&apos;s
            agents.
          </p>
          {hybrid ? (
            <p className="muted">Hybrid mode is on: your team&apos;s agents appear here once the link is connected.</p>
          ) : (
            <button type="button" className="button" onClick={() => showView('settings')}>
              Open Settings
            </button>
          )}
        </EmptyState>
      ) : visible.length === 0 && matching.length > 0 ? (
        <EmptyState title="Only ended workers here" testId="agents-all-ended">
          <button type="button" className="button" onClick={() => setShowEnded(true)}>
            Show ended ({folded})
          </button>
        </EmptyState>
      ) : visible.length === 0 ? (
        <EmptyState title="No agents match these filters" testId="agents-no-match">
          <button type="button" className="button" onClick={() => resetAgentFilter(EMPTY_FILTER)}>
            Clear filters
          </button>
        </EmptyState>
      ) : (
        <div className="bands">
          {bands.map((band) => (
            <AgentBand key={band.ownership} band={band} currentRepo={currentRepo} />
          ))}
        </div>
      )}
    </section>
  );
}
