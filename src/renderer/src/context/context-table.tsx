/**
 * The blackboard's entries, one table section per key prefix: key, value, writer,
 * updated, expiry. A key opens its history.
 */
import { Fragment } from 'react';
import type { ReactNode } from 'react';
import type { ContextEntry } from '../../../shared/blackboard.js';
import { contextKey, groupByPrefix, valuePreview } from '../model/context-entries.js';
import { selectContextKey } from '../store/work-actions.js';
import { formatClock } from '../traces/trace-format.js';

export function ContextTable(props: { entries: readonly ContextEntry[]; selected: string | null; showRepo: boolean }): ReactNode {
  const groups = groupByPrefix(props.entries);
  const columns = props.showRepo ? 6 : 5;
  return (
    <table className="table context-table" data-testid="context-table">
      <thead>
        <tr>
          <th scope="col">Key</th>
          {props.showRepo ? <th scope="col">Repo</th> : null}
          <th scope="col">Value</th>
          <th scope="col">Writer</th>
          <th scope="col">Updated</th>
          <th scope="col">Expires</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((group) => (
          <Fragment key={group.prefix}>
            <tr className="context-table__group">
              <th scope="rowgroup" colSpan={columns}>
                {group.prefix}/ <span className="muted small">{group.entries.length}</span>
              </th>
            </tr>
            {group.entries.map((entry) => {
              const key = contextKey(entry);
              return (
                <tr key={key} data-testid="context-row" data-key={entry.key} aria-selected={props.selected === key}>
                  <td>
                    <button type="button" className="button button--ghost button--small mono" onClick={() => selectContextKey(props.selected === key ? null : key)}>
                      {entry.key}
                    </button>
                  </td>
                  {props.showRepo ? <td className="mono">{entry.repo}</td> : null}
                  <td className="mono context-table__value" title={typeof entry.value === 'string' ? entry.value : JSON.stringify(entry.value)}>
                    {valuePreview(entry.value)}
                  </td>
                  <td className="mono">{entry.writer}</td>
                  <td className="mono">{formatClock(entry.updatedAt)}</td>
                  <td className="mono">{entry.expiresAt === null ? '—' : formatClock(entry.expiresAt)}</td>
                </tr>
              );
            })}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
