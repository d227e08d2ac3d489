import type { ReactNode } from 'react';
import type { CallErrorView } from './use-call.js';
import './common.css';

/** A failed call: the core's error name, its message, and each bad field. */
export function CallError(props: { error: CallErrorView; testId?: string }): ReactNode {
  const { error } = props;
  return (
    <div className="call-error" role="alert" data-testid={props.testId ?? 'call-error'} data-error-name={error.name}>
      <span className="call-error__name mono">{error.name}</span>
      <span className="call-error__message">{error.message}</span>
      {error.issues.length > 0 ? (
        <ul className="call-error__issues">
          {error.issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path ? <code>{issue.path}</code> : null} {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
