/**
 * What a send did: its status and route, who it went to and why (a role send names the
 * chosen instance and the dispatcher's reason), every recipient of a broadcast, and a
 * link to each trace.
 */
import type { ReactNode } from 'react';
import type { SendResult, SendStatus } from '../../../shared/routing-contract.js';
import { showTrace } from '../store/actions.js';

function tone(status: SendStatus): string {
  if (status === 'delivered') return 'ok';
  if (status === 'expired') return 'error';
  return status === 'queued' ? 'warn' : 'pending';
}

export function SendResultLine(props: { result: SendResult; to: string }): ReactNode {
  const { result } = props;
  const recipients = result.recipients ?? [];
  return (
    <div role="status" data-testid="send-result" data-status={result.status}>
      <p className="result-line">
        <span className={`pill pill--${tone(result.status)}`}>{result.status}</span> via{' '}
        <span className={`via via--${result.route.routedVia}`}>{result.route.routedVia}</span>
        {result.to && result.to !== props.to ? (
          <>
            {' '}
            to <strong className="mono" data-testid="send-chosen">{result.to}</strong>
          </>
        ) : null}{' '}
        <button type="button" className="button button--ghost button--small" onClick={() => showTrace(result.messageId)}>
          Open trace <code>{result.messageId}</code>
        </button>
      </p>
      {result.reason ? (
        <p className="muted small" data-testid="send-reason">
          Why: {result.reason}
        </p>
      ) : null}
      {recipients.length > 0 ? (
        <>
          <p className="small">
            Sent to {recipients.length} {recipients.length === 1 ? 'agent' : 'agents'}:
          </p>
          <ul className="send-recipients" data-testid="send-recipients">
            {recipients.map((recipient) => (
              <li key={recipient.messageId} data-recipient={recipient.to}>
                <span className="mono">{recipient.to}</span> <span className={`pill pill--${tone(recipient.status)}`}>{recipient.status}</span>{' '}
                <button type="button" className="button button--ghost button--small" aria-label={`Open the trace of the message to ${recipient.to}`} onClick={() => showTrace(recipient.messageId)}>
                  trace
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
