/**
 * Which repo the Agents, Tasks and Context views show: one of the desktop's repos
 * (`repos.list`, the primary first) or all of them. The top bar and the views' toolbars
 * share it; without several repos it says nothing.
 */
import { useId } from 'react';
import type { ReactNode } from 'react';
import { useAppStore } from '../store/app-store.js';
import { chooseRepo } from '../store/work-actions.js';

/** The select's value for "every repo": not a valid repo name, so it cannot clash with one. */
const ALL = '*';

export function RepoSelect(props: { label?: string; testId?: string; className?: string }): ReactNode {
  const repos = useAppStore((state) => state.repos);
  const choice = useAppStore((state) => state.repoChoice);
  const id = useId();
  if (repos.length < 2) return null;
  return (
    <span className={props.className ?? 'toolbar__select'}>
      <label htmlFor={id}>{props.label ?? 'Repo'}</label>
      <select
        id={id}
        value={choice ?? ALL}
        data-testid={props.testId ?? 'repo-select'}
        onChange={(event) => chooseRepo(event.target.value === ALL ? null : event.target.value)}
      >
        <option value={ALL}>All repos</option>
        {repos.map((repo) => (
          <option key={repo.repo} value={repo.repo}>
            {repo.repo}
            {repo.primary ? ' (primary)' : ''} · {repo.agents} {repo.agents === 1 ? 'agent' : 'agents'}
          </option>
        ))}
      </select>
    </span>
  );
}
