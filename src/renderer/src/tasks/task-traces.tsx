/**
 * The traces of a task's messages (`task.messageIds` → `traces.get`), newest first;
 * each opens in the Traces view's inspector. Fetched again when the task gains a message.
 */
import { useCallback, useEffect } from 'react';
import type { ReactNode } from 'react';
import type { TraceDetail } from '../../../shared/routing-contract.js';
import { CallError } from '../common/call-error.js';
import { useCall } from '../common/use-call.js';
import { coreApi, showTrace } from '../store/actions.js';
import { formatClock, statusTone } from '../traces/trace-format.js';

/** How many of a task's newest messages the detail lists. */
export const TASK_TRACES_SHOWN = 20;

export function TaskTraces(props: { messageIds: readonly string[] }): ReactNode {
  const newest = props.messageIds.slice(-TASK_TRACES_SHOWN).reverse();
  const ids = newest.join(',');
  const fetchTraces = useCallback(async (): Promise<TraceDetail[]> => {
    if (ids === '') return [];
    const details = await Promise.all(ids.split(',').map((id) => coreApi().traces.get({ id })));
    return details.filter((detail): detail is TraceDetail => detail !== null);
  }, [ids]);
  const [traces, load] = useCall(fetchTraces);
  useEffect(() => void load(), [load]);
  if (props.messageIds.length === 0) return <p className="muted small">No messages yet.</p>;
  if (traces.phase === 'failed') return <CallError error={traces.error} />;
  if (traces.phase !== 'done') return <p className="muted small">Loading traces…</p>;
  return (
    <>
      <ul className="task-traces" data-testid="task-traces">
        {traces.value.map(({ summary }) => (
          <li key={summary.messageId}>
            <button
              type="button"
              className="button button--ghost button--small task-traces__row"
              data-testid="task-trace"
              onClick={() => showTrace(summary.messageId)}
              aria-label={`Open trace of ${summary.kind} from ${summary.from} to ${summary.to}`}
            >
              <span className="mono">{formatClock(summary.createdAt)}</span>
              <span className="mono">{summary.kind}</span>
              <span className="mono">
                {summary.from} → {summary.to}
              </span>
              <span className={`pill pill--${statusTone(summary.status)}`}>{summary.status}</span>
            </button>
          </li>
        ))}
      </ul>
      {props.messageIds.length > TASK_TRACES_SHOWN ? (
        <p className="muted small">The newest {TASK_TRACES_SHOWN} of {props.messageIds.length} messages.</p>
      ) : null}
    </>
  );
}
