/**
 * The Context view: the blackboard of the chosen repo (or every repo), live from
 * `context.list` and `context.changed`, grouped by key prefix; a key's history beside
 * it; a form to set or delete a key.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { CallError } from '../common/call-error.js';
import { EmptyState } from '../common/empty-state.js';
import { RepoSelect } from '../common/repo-select.js';
import { liveEntries } from '../model/context-entries.js';
import { useAppStore } from '../store/app-store.js';
import { ContextForm } from './context-form.js';
import { ContextHistory } from './context-history.js';
import { ContextTable } from './context-table.js';
import './context.css';

export function ContextView(): ReactNode {
  const repo = useAppStore((state) => state.repoChoice);
  const [prefix, setPrefix] = useState('');
  const trimmed = prefix.trim().replace(/\/+$/, '');
  // Expired entries drop out on the next change or re-render; the table shows each expiry.
  const entries = useAppStore(useShallow((state) => liveEntries(state.contextEntries.values(), state.repoChoice, trimmed, Date.now())));
  const total = useAppStore((state) => liveEntries(state.contextEntries.values(), state.repoChoice, '', Date.now()).length);
  const load = useAppStore((state) => state.contextLoad);
  const selected = useAppStore((state) => state.selectedContextKey);
  const severalRepos = useAppStore((state) => state.repos.length > 1);
  const [editing, setEditing] = useState<{ key: string } | null>(null);
  return (
    <section className="view" aria-labelledby="context-title">
      <div className="view__header">
        <h1 id="context-title">Context</h1>
        <span className="view__meta" data-testid="context-count">
          {trimmed !== '' ? `${entries.length} of ${total}` : total} {total === 1 ? 'key' : 'keys'}
          {repo ? ` in ${repo}` : ''}
        </span>
        <div className="view__actions">
          <button type="button" className="button button--primary" aria-expanded={editing !== null} data-testid="open-context-form" onClick={() => setEditing(editing ? null : { key: '' })}>
            Set a key
          </button>
        </div>
      </div>
      {editing ? <ContextForm key={editing.key} initialKey={editing.key} onClose={() => setEditing(null)} /> : null}
      <div className="toolbar" role="search" aria-label="Filter keys">
        <label className="toolbar__search">
          <span className="visually-hidden">Key prefix</span>
          <input type="search" placeholder="Key prefix: repo, user/ada, task/t-12" value={prefix} data-testid="context-prefix" onChange={(e) => setPrefix(e.target.value)} />
        </label>
        <RepoSelect testId="context-filter-repo" />
      </div>
      {load.phase === 'failed' ? (
        <>
          <p className="muted">The core did not list the blackboard:</p>
          <CallError error={load.error} testId="context-load-error" />
        </>
      ) : null}
      {load.phase === 'loading' && total === 0 ? (
        <p className="muted" aria-busy="true">
          Loading the blackboard…
        </p>
      ) : load.phase === 'ready' && total === 0 ? (
        <EmptyState title="The blackboard is empty" testId="context-empty" icon="▤">
          <p>Agents and people share notes here under repo/, user/, agent/, task/ and shared/ keys.</p>
        </EmptyState>
      ) : total > 0 ? (
        <div className={`inspect-layout${selected ? ' inspect-layout--inspecting' : ''}`}>
          {entries.length === 0 ? (
            <EmptyState title="No key under this prefix" testId="context-no-match" />
          ) : (
            <ContextTable entries={entries} selected={selected} showRepo={repo === null && severalRepos} />
          )}
          {selected ? <ContextHistory key={selected} entryKey={selected} onEdit={(key) => setEditing({ key })} /> : null}
        </div>
      ) : null}
    </section>
  );
}
