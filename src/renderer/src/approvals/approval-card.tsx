/**
 * One approval: which agent asks to use which tool, what it would do and where, how
 * long it may still be answered, and Allow / Always allow / Deny while it is pending.
 * The inbox and the conversation show the same card.
 */
import { useCallback } from 'react';
import type { ReactNode } from 'react';
import type { ApprovalState, ApprovalView } from '../../../shared/coding-contract.js';
import { CallError } from '../common/call-error.js';
import { useTicking } from '../common/clock.js';
import { useCall } from '../common/use-call.js';
import { formatTimeLeft } from '../model/approvals.js';
import { coreApi } from '../store/actions.js';
import { recordApproval } from '../store/coding-actions.js';
import './approvals.css';

/** What the card shows: an ApprovalView, or what the request message itself says before the inbox knows it. */
export type ApprovalShown = Pick<ApprovalView, 'approvalId' | 'from' | 'tool' | 'summary' | 'cwd' | 'input' | 'expiresAt' | 'state' | 'answeredAt'>;

const STATE_LABEL: Record<ApprovalState, string> = { pending: 'waiting for you', granted: 'allowed', denied: 'denied', expired: 'expired (denied)' };
const STATE_PILL: Record<ApprovalState, string> = { pending: 'warn', granted: 'ok', denied: 'error', expired: 'error' };

export function ApprovalCard(props: { approval: ApprovalShown; showAgent?: boolean }): ReactNode {
  const { approval } = props;
  const answer = useCallback(
    async (allow: boolean, always: boolean) => {
      const view = await coreApi().approvals.answer({ approvalId: approval.approvalId, allow, ...(always ? { always } : {}) });
      recordApproval(view);
      return view;
    },
    [approval.approvalId],
  );
  const [answered, run] = useCall(answer);
  const pending = approval.state === 'pending';
  return (
    <article className={`approval approval--${approval.state}`} data-testid="approval" data-approval={approval.approvalId} data-state={approval.state}>
      <header className="approval__header">
        <span className="approval__title">
          {props.showAgent ? <strong className="mono">{approval.from}</strong> : null}
          {props.showAgent ? ' asks to use ' : 'Asks to use '}
          <strong className="mono">{approval.tool}</strong>
        </span>
        <span className={`pill pill--${STATE_PILL[approval.state]}`} data-testid="approval-state">
          {STATE_LABEL[approval.state]}
        </span>
        {pending ? <TimeLeft expiresAt={approval.expiresAt} /> : null}
      </header>
      <p className="approval__summary mono">{approval.summary}</p>
      <p className="approval__cwd muted small">
        in <span className="mono">{approval.cwd}</span>
      </p>
      <details className="approval__input small">
        <summary>Input</summary>
        <pre className="mono">{JSON.stringify(approval.input, null, 2)}</pre>
      </details>
      {pending ? (
        <div className="approval__actions">
          <button type="button" className="button button--primary button--small" data-testid="approval-allow" disabled={answered.phase === 'running'} onClick={() => void run(true, false)}>
            Allow
          </button>
          <button
            type="button"
            className="button button--small"
            data-testid="approval-always"
            title={`Allow ${approval.tool} for ${approval.from} from now on, without asking`}
            disabled={answered.phase === 'running'}
            onClick={() => void run(true, true)}
          >
            Always allow
          </button>
          <button type="button" className="button button--small button--danger" data-testid="approval-deny" disabled={answered.phase === 'running'} onClick={() => void run(false, false)}>
            Deny
          </button>
        </div>
      ) : null}
      {answered.phase === 'failed' ? <CallError error={answered.error} /> : null}
    </article>
  );
}

function TimeLeft(props: { expiresAt: number }): ReactNode {
  const { expiresAt } = props;
  const text = useTicking(useCallback((now: number) => formatTimeLeft(expiresAt, now), [expiresAt]));
  return (
    <span className="approval__time muted small" data-testid="approval-time-left">
      {text}
    </span>
  );
}
