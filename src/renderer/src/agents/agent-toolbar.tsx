import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AgentStatus, Location } from '../../../shared/domain.js';
import { AgentStatus as AgentStatusSchema } from '../../../shared/domain.js';
import { RepoSelect } from '../common/repo-select.js';
import { useAppStore } from '../store/app-store.js';
import { resetAgentFilter, setAgentFilter, setShowEnded } from '../store/actions.js';
import { EMPTY_FILTER, agentTypes, isFilterActive } from '../model/agent-bands.js';

const STATUSES: readonly AgentStatus[] = AgentStatusSchema.options;

/**
 * Search, status chips, location and type filters, and the ended-workers toggle.
 *
 * `ended` counts the ended workers folded away (or shown again) among the filtered agents.
 */
export function AgentToolbar(props: { ended: number }): ReactNode {
  const filter = useAppStore((state) => state.agentFilter);
  const showEnded = useAppStore((state) => state.showEnded);
  const types = useAppStore(useShallow((state) => agentTypes(state.agents.values())));

  const toggleStatus = (status: AgentStatus): void => {
    const statuses = filter.statuses.includes(status)
      ? filter.statuses.filter((s) => s !== status)
      : [...filter.statuses, status];
    setAgentFilter({ statuses });
  };

  return (
    <div className="toolbar" role="search" aria-label="Filter agents">
      <label className="toolbar__search">
        <span className="visually-hidden">Search agents</span>
        <input
          type="search"
          placeholder="Search name, type, owner"
          value={filter.search}
          data-testid="agents-search"
          onChange={(event) => setAgentFilter({ search: event.target.value })}
        />
      </label>
      <div className="chip-group" role="group" aria-label="Status">
        {STATUSES.map((status) => (
          <button
            key={status}
            type="button"
            className={`chip chip--status status--${status}`}
            aria-pressed={filter.statuses.includes(status)}
            data-testid={`filter-status-${status}`}
            onClick={() => toggleStatus(status)}
          >
            <span className="status-dot" aria-hidden="true" />
            {status}
          </button>
        ))}
      </div>
      <label className="toolbar__select">
        <span>Location</span>
        <select
          value={filter.location}
          data-testid="filter-location"
          onChange={(event) => setAgentFilter({ location: event.target.value as Location | 'all' })}
        >
          <option value="all">All</option>
          <option value="local">This laptop</option>
          <option value="remote">Remote</option>
        </select>
      </label>
      <label className="toolbar__select">
        <span>Type</span>
        <select value={filter.type} data-testid="filter-type" onChange={(event) => setAgentFilter({ type: event.target.value })}>
          <option value="">All</option>
          {types.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
          {filter.type !== '' && !types.includes(filter.type) ? <option value={filter.type}>{filter.type}</option> : null}
        </select>
      </label>
      <RepoSelect testId="agents-filter-repo" />
      {props.ended > 0 || showEnded ? (
        <button
          type="button"
          className="chip"
          aria-pressed={showEnded}
          data-testid="toggle-ended"
          title="Workers that ended over a minute ago fold away; show them again here"
          onClick={() => setShowEnded(!showEnded)}
        >
          Show ended ({props.ended})
        </button>
      ) : null}
      {isFilterActive(filter) ? (
        <button type="button" className="button button--ghost button--small" onClick={() => resetAgentFilter(EMPTY_FILTER)}>
          Clear
        </button>
      ) : null}
    </div>
  );
}
