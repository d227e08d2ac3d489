/**
 * The task cards of a transcript: a finished task (its answer, changed files, branch,
 * tokens, cost, time), a failed one (the reason and what to do about it), and an
 * approval the agent asked for, answered in place.
 */
import type { ReactNode } from 'react';
import type { ApprovalRequestedBody, TaskCompletedBody, TaskFailedBody } from '../../../shared/coding.js';
import { ApprovalCard } from '../approvals/approval-card.js';
import type { ApprovalShown } from '../approvals/approval-card.js';
import { adviceFor, formatCost, formatDuration, formatTokens } from '../model/coding-format.js';
import { useAppStore } from '../store/app-store.js';

/** `textShown`: the transcript just streamed the answer, so the card leaves it out rather than repeat it. */
export function CompletedCard(props: { body: TaskCompletedBody; textShown?: boolean }): ReactNode {
  const { body } = props;
  const { usage } = body;
  return (
    <article className="task-card task-card--completed" data-testid="task-completed">
      <header className="task-card__header">
        <span className="pill pill--ok">completed</span>
        <span className="mono small">{body.taskId}</span>
        {body.branch ? <span className="mono small muted">on {body.branch}</span> : null}
      </header>
      {body.text && !props.textShown ? <p className="tr__prose">{body.text}</p> : null}
      {body.changedFiles.length > 0 ? (
        <div className="task-card__files">
          <span className="muted small">
            {body.changedFiles.length} changed file{body.changedFiles.length === 1 ? '' : 's'}
          </span>
          <ul className="mono small" data-testid="changed-files">
            {body.changedFiles.map((file) => (
              <li key={file}>{file}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <dl className="task-card__facts small" data-testid="task-usage">
        <dt>tokens</dt>
        <dd className="mono">
          {formatTokens(usage.inputTokens)} in · {formatTokens(usage.outputTokens)} out
        </dd>
        <dt>cost</dt>
        <dd className="mono" data-testid="task-cost">
          {formatCost(usage.costUsd)}
        </dd>
        <dt>time</dt>
        <dd className="mono">{formatDuration(body.durationMs)}</dd>
        <dt>turns</dt>
        <dd className="mono">{body.turns}</dd>
      </dl>
    </article>
  );
}

export function FailedCard(props: { body: TaskFailedBody }): ReactNode {
  const { body } = props;
  return (
    <article className="task-card task-card--failed" data-testid="task-failed" data-reason={body.reason} role="alert">
      <header className="task-card__header">
        <span className="pill pill--error">failed · {body.reason}</span>
        {body.taskId ? <span className="mono small">{body.taskId}</span> : null}
      </header>
      <p className="task-card__message">{body.message}</p>
      <p className="task-card__advice small" data-testid="task-advice">
        {adviceFor(body.reason)}
      </p>
      {body.usage ? (
        <p className="muted small mono">
          {formatTokens(body.usage.inputTokens)} in · {formatTokens(body.usage.outputTokens)} out · {formatCost(body.usage.costUsd)}
        </p>
      ) : null}
    </article>
  );
}

/** The approval as the inbox knows it, or as its message says until the inbox does. */
export function InlineApproval(props: { body: ApprovalRequestedBody; from?: string }): ReactNode {
  const { body } = props;
  const known = useAppStore((state) => state.approvals.get(body.approvalId));
  const shown: ApprovalShown = known ?? {
    approvalId: body.approvalId,
    from: props.from ?? '',
    tool: body.tool,
    summary: body.summary,
    cwd: body.cwd,
    input: body.input,
    expiresAt: body.expiresAt,
    state: 'pending',
    answeredAt: null,
  };
  return <ApprovalCard approval={shown} />;
}
