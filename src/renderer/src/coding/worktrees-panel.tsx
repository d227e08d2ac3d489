/**
 * The task worktrees of one agent's workspace: each branch with its commits and
 * uncommitted work, its diff, merge into the workspace's branch (a conflict said
 * plainly, with its files) and discard behind a confirmation.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { MergeOutcome, WorktreeInfo } from '../../../shared/coding-contract.js';
import { CallError } from '../common/call-error.js';
import { useCall } from '../common/use-call.js';
import { useAppStore } from '../store/app-store.js';
import { coreApi } from '../store/actions.js';
import { DiffView } from './diff-view.js';

/** How many tasks of this agent ended, as far as the window follows its conversation: a worktree may have news. */
function useEndedTasks(agent: string): number {
  return useAppStore((state) => {
    let ended = 0;
    for (const entry of state.conversations.get(agent) ?? []) if (entry.kind === 'task.completed' || entry.kind === 'task.failed') ended++;
    return ended;
  });
}

export function WorktreesPanel(props: { agent: string; workspace: string }): ReactNode {
  const { agent, workspace } = props;
  const list = useCallback(() => coreApi().worktrees.list({ workspace, agent }), [workspace, agent]);
  const [listed, load] = useCall(list);
  const ended = useEndedTasks(agent);
  useEffect(() => void load(), [load, ended]);
  const worktrees = listed.phase === 'done' ? listed.value : [];
  return (
    <div className="worktrees" data-testid="worktrees">
      <div className="action-panel__bar">
        <span className="muted small">
          Task branches of <span className="mono">{workspace}</span>
        </span>
        <button type="button" className="button button--small" onClick={() => void load()} data-testid="worktrees-refresh">
          {listed.phase === 'running' ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      {listed.phase === 'failed' ? <CallError error={listed.error} /> : null}
      {listed.phase === 'done' && worktrees.length === 0 ? (
        <p className="muted small" data-testid="worktrees-empty">
          No task worktrees. With isolation “worktree”, each task gets its own branch here.
        </p>
      ) : null}
      <ul className="worktree-list">
        {worktrees.map((worktree) => (
          <li key={worktree.branch}>
            <WorktreeRow workspace={workspace} worktree={worktree} onChanged={() => void load()} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function WorktreeRow(props: { workspace: string; worktree: WorktreeInfo; onChanged: () => void }): ReactNode {
  const { workspace, worktree, onChanged } = props;
  const ref = { workspace, branch: worktree.branch };
  const [diff, loadDiff, hideDiff] = useCall(() => coreApi().worktrees.diff(ref));
  const [merged, merge] = useCall(() => coreApi().worktrees.merge(ref));
  const [discarded, discard] = useCall(() => coreApi().worktrees.discard(ref));
  const [confirming, setConfirming] = useState(false);
  const busy = merged.phase === 'running' || discarded.phase === 'running';
  return (
    <article className="worktree" data-testid="worktree" data-branch={worktree.branch}>
      <header className="worktree__header">
        <span className="mono worktree__branch">{worktree.branch}</span>
        <span className="muted small" data-testid="worktree-commits">
          {worktree.commits} commit{worktree.commits === 1 ? '' : 's'}
        </span>
        {worktree.dirty ? (
          <span className="pill pill--warn" title="Uncommitted changes in the worktree">
            uncommitted changes
          </span>
        ) : null}
        <span className="worktree__actions">
          <button type="button" className="button button--small" data-testid="worktree-diff" onClick={() => void (diff.phase === 'done' ? hideDiff() : loadDiff())}>
            {diff.phase === 'done' ? 'Hide diff' : diff.phase === 'running' ? 'Loading…' : 'Diff'}
          </button>
          <button
            type="button"
            className="button button--small button--primary"
            data-testid="worktree-merge"
            disabled={busy}
            onClick={() => void merge().then((outcome) => outcome?.merged && onChanged())}
          >
            {merged.phase === 'running' ? 'Merging…' : 'Merge'}
          </button>
          <button type="button" className="button button--small button--danger" data-testid="worktree-discard" disabled={busy} onClick={() => setConfirming(true)}>
            Discard
          </button>
        </span>
      </header>
      {confirming ? (
        <DiscardConfirm
          worktree={worktree}
          onAnswer={(yes) => {
            setConfirming(false);
            if (yes) void discard().then((result) => result && onChanged());
          }}
        />
      ) : null}
      {merged.phase === 'done' ? <MergeResult outcome={merged.value} branch={worktree.branch} /> : null}
      {merged.phase === 'failed' ? <CallError error={merged.error} /> : null}
      {discarded.phase === 'failed' ? <CallError error={discarded.error} /> : null}
      {diff.phase === 'failed' ? <CallError error={diff.error} /> : null}
      {diff.phase === 'done' ? <DiffView diff={diff.value} /> : null}
    </article>
  );
}

function DiscardConfirm(props: { worktree: WorktreeInfo; onAnswer: (yes: boolean) => void }): ReactNode {
  const { worktree, onAnswer } = props;
  const commits = worktree.commits > 0 ? ` and its ${worktree.commits} commit${worktree.commits === 1 ? '' : 's'}` : '';
  return (
    <div className="worktree__confirm" role="alertdialog" aria-label="Discard this worktree?" data-testid="discard-confirm">
      <span>
        Discard <span className="mono">{worktree.branch}</span>
        {commits}
        {worktree.dirty ? ', with its uncommitted changes' : ''}? This cannot be undone.
      </span>
      <button type="button" className="button button--small button--danger" data-testid="discard-yes" onClick={() => onAnswer(true)}>
        Discard
      </button>
      <button type="button" className="button button--small" data-testid="discard-no" onClick={() => onAnswer(false)}>
        Keep
      </button>
    </div>
  );
}

function MergeResult(props: { outcome: MergeOutcome; branch: string }): ReactNode {
  const { outcome, branch } = props;
  if (outcome.merged) {
    return (
      <p className="result-line" role="status" data-testid="merge-result" data-merged="true">
        Merged <span className="mono">{branch}</span>. {outcome.message}
      </p>
    );
  }
  return (
    <div className="call-error" role="alert" data-testid="merge-result" data-merged="false">
      <span className="call-error__name">Not merged</span>
      <span className="call-error__message">
        {outcome.conflicts.length > 0
          ? `${outcome.conflicts.length} file${outcome.conflicts.length === 1 ? '' : 's'} conflict with the workspace's branch, so the merge was not made. Resolve them there, or discard this branch.`
          : outcome.message}
      </span>
      {outcome.conflicts.length > 0 ? (
        <ul className="call-error__issues mono" data-testid="merge-conflicts">
          {outcome.conflicts.map((file) => (
            <li key={file}>{file}</li>
          ))}
        </ul>
      ) : null}
      {outcome.conflicts.length > 0 && outcome.message ? <span className="muted small">{outcome.message}</span> : null}
    </div>
  );
}
