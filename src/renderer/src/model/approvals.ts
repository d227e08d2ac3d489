/**
 * Approvals as the inbox and the conversation show them: folded from `approvals.list`
 * and `approvals.changed` by id, pending first.
 */
import type { ApprovalView } from '../../../shared/coding-contract.js';

/** The approvals after some changed: always a new Map; unchanged ones keep their objects. */
export function applyApprovalChanges(current: ReadonlyMap<string, ApprovalView>, changed: readonly ApprovalView[]): Map<string, ApprovalView> {
  const next = new Map(current);
  for (const approval of changed) next.set(approval.approvalId, approval);
  return next;
}

export function countPending(approvals: ReadonlyMap<string, ApprovalView>): number {
  let pending = 0;
  for (const approval of approvals.values()) if (approval.state === 'pending') pending++;
  return pending;
}

/** Pending first, the one that expires soonest on top; then the answered ones, newest first. */
export function sortApprovals(approvals: Iterable<ApprovalView>): ApprovalView[] {
  return [...approvals].sort((a, b) => {
    const aPending = a.state === 'pending';
    const bPending = b.state === 'pending';
    if (aPending !== bPending) return aPending ? -1 : 1;
    if (aPending) return a.expiresAt - b.expiresAt;
    return (b.answeredAt ?? b.requestedAt) - (a.answeredAt ?? a.requestedAt);
  });
}

/** "4m 05s left", "12s left", "expired": how long a pending approval may still be answered. */
export function formatTimeLeft(expiresAt: number, now: number): string {
  const ms = expiresAt - now;
  if (ms <= 0) return 'expired';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds}s left`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s left`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m left`;
}
