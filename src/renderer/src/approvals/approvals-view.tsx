/**
 * The Approvals inbox: every agent's approval requests to the person, pending first
 * (the one that expires soonest on top), then what became of the others.
 */
import { useMemo } from 'react';
import type { ReactNode } from 'react';
import { EmptyState } from '../common/empty-state.js';
import { sortApprovals } from '../model/approvals.js';
import { useAppStore } from '../store/app-store.js';
import { ApprovalCard } from './approval-card.js';


export function ApprovalsView(): ReactNode {
  const approvals = useAppStore((state) => state.approvals);
  const pending = useAppStore((state) => state.approvalsPending);
  const sorted = useMemo(() => sortApprovals(approvals.values()), [approvals]);
  return (
    <section className="view" aria-labelledby="approvals-title">
      <div className="view__header">
        <h1 id="approvals-title">Approvals</h1>
        <span className="view__meta" data-testid="approvals-count">
          {pending} waiting · {sorted.length} in all
        </span>
      </div>
      {sorted.length === 0 ? (
        <EmptyState title="No approvals yet" testId="approvals-empty" icon="✓">
          <p>When a coding agent asks to use a tool, its request waits here for your answer (and in its conversation).</p>
        </EmptyState>
      ) : (
        <ol className="approval-list" data-testid="approval-list">
          {sorted.map((approval) => (
            <li key={approval.approvalId}>
              <ApprovalCard approval={approval} showAgent />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
