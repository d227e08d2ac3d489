import { useDeferredValue } from 'react';
import type { ReactNode } from 'react';
import { AgentsView } from '../agents/agents-view.js';
import { ApprovalsView } from '../approvals/approvals-view.js';
import { RepoSelect } from '../common/repo-select.js';
import { ContextView } from '../context/context-view.js';
import { TasksView } from '../tasks/tasks-view.js';
import { listedCount } from '../model/agent-bands.js';
import { RoutesView } from '../routes/routes-view.js';
import { SettingsView } from '../settings/settings-view.js';
import { useAppStore } from '../store/app-store.js';
import { showView } from '../store/actions.js';
import type { View } from '../store/slices.js';
import { BridgeBanner, Logo } from './bridge-screen.js';
import { ConnectionIndicator } from './connection-indicator.js';
import { NotifyButton } from './notify-button.js';
import { ProblemBell } from './problem-centre.js';
import { TracesView } from '../traces/traces-view.js';
import './shell.css';

const NAV: readonly { view: View; label: string }[] = [
  { view: 'agents', label: 'Agents' },
  { view: 'tasks', label: 'Tasks' },
  { view: 'context', label: 'Context' },
  { view: 'approvals', label: 'Approvals' },
  { view: 'routes', label: 'Routes' },
  { view: 'traces', label: 'Traces' },
  { view: 'settings', label: 'Settings' },
];

/** The window: a top bar with navigation and the connection indicator, then the view. */
export function Shell(): ReactNode {
  const view = useAppStore((state) => state.view);
  // The next view mounts in a deferred, interruptible render: a heavy view (thousands of
  // traces) does not block the page in one long task when the user switches to it.
  const shownView = useDeferredValue(view);
  const bridge = useAppStore((state) => state.bridge);
  const repo = useAppStore((state) => state.config?.repo);
  const agentCount = useAppStore((state) => listedCount(state.agents.values()));
  const pendingApprovals = useAppStore((state) => state.approvalsPending);
  const severalRepos = useAppStore((state) => state.repos.length > 1);
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <Logo />
          <span>Switchyard</span>
        </div>
        <nav className="nav" aria-label="Views">
          {NAV.map((item) => (
            <a
              key={item.view}
              href={`#/${item.view}`}
              className="nav__item"
              aria-current={view === item.view ? 'page' : undefined}
              data-testid={`nav-${item.view}`}
              onClick={(event) => {
                event.preventDefault();
                showView(item.view);
              }}
            >
              {item.label}
              {item.view === 'agents' && agentCount > 0 ? <span className="nav__count">{agentCount}</span> : null}
              {item.view === 'approvals' && pendingApprovals > 0 ? (
                <span className="nav__count nav__count--alert" data-testid="approvals-badge" aria-label={`${pendingApprovals} waiting`}>
                  {pendingApprovals}
                </span>
              ) : null}
            </a>
          ))}
        </nav>
        <div className="topbar__end">
          {severalRepos ? (
            <RepoSelect label="repo" className="repo-chip repo-switcher" testId="repo-switcher" />
          ) : repo ? (
            <span className="repo-chip" title="The repository this desktop works in">
              <span className="muted">repo</span> {repo}
            </span>
          ) : null}
          <NotifyButton />
          <ProblemBell />
          <ConnectionIndicator />
        </div>
      </header>
      <BridgeBanner bridge={bridge} />
      <main className="content" data-testid={`view-${view}`}>
        <CurrentView view={shownView} />
      </main>
    </div>
  );
}

function CurrentView(props: { view: View }): ReactNode {
  switch (props.view) {
    case 'agents':
      return <AgentsView />;
    case 'tasks':
      return <TasksView />;
    case 'context':
      return <ContextView />;
    case 'approvals':
      return <ApprovalsView />;
    case 'routes':
      return <RoutesView />;
    case 'traces':
      return <TracesView />;
    case 'settings':
      return <SettingsView />;
  }
}
