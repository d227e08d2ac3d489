/**
 * One key's history (`context.get` with history): every revision the bucket keeps,
 * newest first, with who wrote it and when; fetched again when the key changes.
 */
import { useCallback, useEffect } from 'react';
import type { ReactNode } from 'react';
import { CallError } from '../common/call-error.js';
import { useCall } from '../common/use-call.js';
import { useAppStore } from '../store/app-store.js';
import { coreApi } from '../store/actions.js';
import { selectContextKey } from '../store/work-actions.js';
import { bodyText, formatClock } from '../traces/trace-format.js';

export function ContextHistory(props: { entryKey: string; onEdit: (key: string) => void }): ReactNode {
  const entry = useAppStore((state) => state.contextEntries.get(props.entryKey));
  const repo = entry?.repo;
  const key = entry?.key;
  const revision = entry?.revision;
  const fetchHistory = useCallback((k: string, r: string) => coreApi().context.get({ key: k, repo: r, history: true }), []);
  const [history, load] = useCall(fetchHistory);
  // A new revision of the key fetches again.
  useEffect(() => {
    if (key !== undefined && repo !== undefined) void load(key, repo);
  }, [load, key, repo, revision]);
  return (
    <aside className="inspector" aria-labelledby="context-history-title" data-testid="context-history">
      <header className="inspector__header">
        <h2 id="context-history-title" className="mono">
          {key ?? props.entryKey}
        </h2>
        {key !== undefined ? (
          <button type="button" className="button button--small" onClick={() => props.onEdit(key)}>
            Edit
          </button>
        ) : null}
        <button type="button" className="button button--ghost button--small" aria-label="Close history" onClick={() => selectContextKey(null)}>
          ✕
        </button>
      </header>
      {history.phase === 'failed' ? <CallError error={history.error} /> : null}
      {history.phase === 'running' || history.phase === 'idle' ? <p className="muted small">Loading history…</p> : null}
      {history.phase === 'done' ? (
        <ol className="context-history" data-testid="context-revisions">
          {history.value.history.map((rev) => (
            <li key={rev.revision} data-revision={rev.revision}>
              <div className="small">
                <span className="mono">#{rev.revision}</span> {rev.operation === 'delete' ? <span className="pill pill--error">deleted</span> : null}{' '}
                <span className="mono">{formatClock(rev.updatedAt)}</span> <span className="muted">by</span> <span className="mono">{rev.writer}</span>
              </div>
              {rev.value !== null ? <pre className="context-history__value">{bodyText(rev.value).text}</pre> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </aside>
  );
}
