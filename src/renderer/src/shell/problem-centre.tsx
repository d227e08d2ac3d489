/**
 * The notification centre: a bell in the top bar with the number of problems that still
 * hold, and a panel listing every problem newest first with its reason and what to do
 * about it. Resolved problems stay, greyed, until dismissed.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import type { Problem } from '../../../shared/problems.js';
import { CallError } from '../common/call-error.js';
import { useTicking } from '../common/clock.js';
import { useCall } from '../common/use-call.js';
import { bellTone, standingCount, whenLine } from '../model/problems.js';
import { coreApi } from '../store/actions.js';
import { useAppStore } from '../store/app-store.js';
import { dismissProblems, openProblems } from '../store/problem-actions.js';
import './problems.css';

/** The bell: a count of standing problems; a click opens or closes the centre. */
export function ProblemBell(): ReactNode {
  const problems = useAppStore((state) => state.problems);
  const open = useAppStore((state) => state.problemsOpen);
  const count = standingCount(problems);
  const tone = bellTone(problems);
  const label = count === 0 ? 'No problems' : `${count} problem${count === 1 ? '' : 's'}`;
  return (
    <div className="problem-anchor">
      <button
        type="button"
        className={`bell bell--${tone}`}
        data-testid="problem-bell"
        data-count={count}
        aria-label={`Notifications: ${label}`}
        aria-expanded={open}
        aria-controls="problem-centre"
        title={label}
        onClick={() => openProblems(!open)}
      >
        <BellIcon />
        {count > 0 ? (
          <span className="bell__count" data-testid="problem-count">
            {count}
          </span>
        ) : null}
      </button>
      {open ? <ProblemCentre problems={problems} /> : null}
    </div>
  );
}

function ProblemCentre(props: { problems: readonly Problem[] }): ReactNode {
  const panel = useRef<HTMLElement>(null);
  const [dismissing, dismiss] = useCall(useCallback((ids: readonly string[]) => dismissProblems(coreApi(), ids), []));
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') openProblems(false);
    };
    window.addEventListener('keydown', onKey);
    panel.current?.focus();
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const resolved = props.problems.filter((problem) => problem.resolvedAt !== null).map((problem) => problem.id);
  return (
    <section id="problem-centre" ref={panel} tabIndex={-1} className="problem-centre panel" aria-label="Notifications" data-testid="problem-centre">
      <header className="problem-centre__header">
        <h2>Notifications</h2>
        {resolved.length > 0 ? (
          <button type="button" className="button button--ghost button--small" data-testid="problems-clear-resolved" onClick={() => void dismiss(resolved)}>
            Clear resolved
          </button>
        ) : null}
        <button type="button" className="button button--ghost button--small" aria-label="Close" onClick={() => openProblems(false)}>
          ✕
        </button>
      </header>
      {dismissing.phase === 'failed' ? <CallError error={dismissing.error} /> : null}
      {props.problems.length === 0 ? (
        <p className="problem-centre__empty muted" data-testid="problems-empty">
          Nothing to report. Refusals from the team, crash loops, a link that stays down and a growing outbox show up here.
        </p>
      ) : (
        <ol className="problem-list">
          {props.problems.map((problem) => (
            <ProblemItem key={problem.id} problem={problem} onDismiss={() => void dismiss([problem.id])} />
          ))}
        </ol>
      )}
    </section>
  );
}

function ProblemItem(props: { problem: Problem; onDismiss: () => void }): ReactNode {
  const { problem } = props;
  const when = useTicking(useCallback((now: number) => whenLine(problem, now), [problem]));
  const state = problem.resolvedAt === null ? problem.severity : 'resolved';
  return (
    <li className={`problem problem--${state}`} data-testid="problem" data-problem={problem.id} data-state={state}>
      <div className="problem__head">
        <span className={`problem__badge problem__badge--${state}`}>{state === 'resolved' ? 'resolved' : problem.severity}</span>
        <strong className="problem__title">{problem.title}</strong>
        <button type="button" className="button button--ghost button--small" aria-label={`Dismiss: ${problem.title}`} data-testid="problem-dismiss" onClick={props.onDismiss}>
          Dismiss
        </button>
      </div>
      <p className="problem__reason" data-testid="problem-reason">
        <span className="muted">Why: </span>
        {problem.reason}
      </p>
      <p className="problem__advice" data-testid="problem-advice">
        <span className="muted">What to do: </span>
        {problem.advice}
      </p>
      <p className="problem__when muted">
        {problem.source} · {when}
      </p>
    </li>
  );
}

function BellIcon(): ReactNode {
  return (
    <svg className="bell__icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
      <path
        d="M8 1.5a4.5 4.5 0 0 0-4.5 4.5v2.6L2.2 11a.6.6 0 0 0 .5.9h10.6a.6.6 0 0 0 .5-.9l-1.3-2.4V6A4.5 4.5 0 0 0 8 1.5ZM6.3 13a1.8 1.8 0 0 0 3.4 0Z"
        fill="currentColor"
      />
    </svg>
  );
}
