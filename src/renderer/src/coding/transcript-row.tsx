/**
 * One item of a conversation's transcript. Rows are memoised on what they show: while
 * an agent streams, only the last prose block and the tool line that got its result
 * re-render.
 */
import { memo } from 'react';
import type { ReactNode } from 'react';
import type { TranscriptItem } from '../model/conversation.js';
import { formatClock } from '../traces/trace-format.js';
import { CompletedCard, FailedCard, InlineApproval } from './task-cards.js';

type Of<T extends TranscriptItem['type']> = Extract<TranscriptItem, { type: T }>;

function sameShown(a: TranscriptItem, b: TranscriptItem): boolean {
  if (a.key !== b.key || a.type !== b.type) return false;
  if (a.type === 'text') return a.text === (b as Of<'text'>).text;
  if (a.type === 'tool') {
    const other = (b as Of<'tool'>).result;
    return a.result?.ok === other?.ok && a.result?.summary === other?.summary;
  }
  // Every other item is built from one message, parsed once: the same key shows the same.
  return true;
}

export const TranscriptRow = memo(function TranscriptRow(props: { item: TranscriptItem }): ReactNode {
  const { item } = props;
  return (
    <div className={`tr tr--${item.type}`} data-testid="transcript-item" data-type={item.type} data-task={item.taskId ?? undefined}>
      <RowBody item={item} />
    </div>
  );
}, (a, b) => sameShown(a.item, b.item));

/** One renderer per item type: the table makes a new type a compile error until it is drawn. */
const RENDER: { [T in TranscriptItem['type']]: (item: Of<T>) => ReactNode } = {
  you: (item) => (
    <div className="tr__you">
      <span className="tr__who">You{item.continues ? <span className="muted small"> · continues {item.taskId}</span> : null}</span>
      <time className="tr__time muted small">{formatClock(item.at)}</time>
      <p className="tr__prose">{item.text}</p>
    </div>
  ),
  'cancel-sent': (item) => <p className="tr__line muted small">You cancelled task {item.taskId}.</p>,
  'answer-sent': (item) => (
    <p className="tr__line muted small">You {item.allow ? (item.always ? 'always allowed' : 'allowed') : 'denied'} a tool use.</p>
  ),
  started: (item) => <StartedLine item={item} />,
  text: (item) => <p className="tr__prose">{item.text}</p>,
  tool: (item) => <ToolLine item={item} />,
  notice: (item) => <p className="tr__line tr__notice muted small">{item.text}</p>,
  completed: (item) => <CompletedCard body={item.body} textShown={item.textShown} />,
  failed: (item) => <FailedCard body={item.body} />,
  approval: (item) => <InlineApproval body={item.body} />,
  raw: (item) => <RawMessage item={item} />,
};

function RowBody(props: { item: TranscriptItem }): ReactNode {
  const render = RENDER[props.item.type] as (item: TranscriptItem) => ReactNode;
  return render(props.item);
}

function StartedLine(props: { item: Of<'started'> }): ReactNode {
  const { body } = props.item;
  return (
    <p className="tr__line muted small" data-testid="task-started">
      Task <span className="mono">{body.taskId}</span> {body.resumed ? 'resumed' : 'started'} in <span className="mono">{body.cwd}</span>
      {body.branch ? (
        <>
          {' '}on <span className="mono">{body.branch}</span>
        </>
      ) : null}
    </p>
  );
}

function ToolLine(props: { item: Of<'tool'> }): ReactNode {
  const { item } = props;
  const state = item.result === null ? 'running' : item.result.ok ? 'ok' : 'error';
  return (
    <details className={`tool tool--${state}`} data-testid="tool-use" data-state={state}>
      <summary className="tool__summary">
        <span className="tool__mark" aria-label={state}>
          {state === 'running' ? '…' : state === 'ok' ? '✓' : '✗'}
        </span>
        {/* Summaries usually start with the tool's name ("Write hello.txt"): then the name is not said twice. */}
        {item.summary.startsWith(item.tool) ? null : <span className="tool__name mono">{item.tool}</span>}
        <span className="tool__text mono">{item.summary || item.tool}</span>
      </summary>
      <div className="tool__detail small">
        {item.result === null ? (
          <span className="muted">No result yet.</span>
        ) : (
          <>
            <span className={`pill pill--${item.result.ok ? 'ok' : 'error'}`}>{item.result.ok ? 'ok' : 'error'}</span>{' '}
            <span className="mono">{item.result.summary || '(no output)'}</span>
          </>
        )}
      </div>
    </details>
  );
}

/** A message no schema describes: strings as text, anything else as indented JSON (as text, never markup). */
function RawMessage(props: { item: Of<'raw'> }): ReactNode {
  const { item } = props;
  return (
    <div className="tr__raw" data-testid="raw-message">
      <span className="tr__who">
        {item.direction === 'out' ? 'You' : 'Agent'} <span className="mono muted small">{item.kind}</span>
      </span>
      <pre className="mono small">{typeof item.body === 'string' ? item.body : JSON.stringify(item.body, null, 2)}</pre>
    </div>
  );
}
