import type { ReactNode } from 'react';
import './common.css';

/** A centred explanation of why a view is empty and what to do next. */
export function EmptyState(props: { title: string; children?: ReactNode; icon?: ReactNode; testId?: string }): ReactNode {
  return (
    <div className="empty-state" role="status" data-testid={props.testId}>
      {props.icon ? <div className="empty-state__icon" aria-hidden="true">{props.icon}</div> : null}
      <h2 className="empty-state__title">{props.title}</h2>
      {props.children ? <div className="empty-state__body">{props.children}</div> : null}
    </div>
  );
}
