/**
 * The conversation with one agent: what the person sent and the agent's streamed
 * transcript, from `conversation.get` and then live `conversation.appended` entries
 * (batched per frame by the store). A long transcript renders only the rows in view.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ConversationEntry } from '../../../shared/coding-contract.js';
import { CallError } from '../common/call-error.js';
import type { CallErrorView } from '../common/use-call.js';
import { describeCallError } from '../common/use-call.js';
import type { TranscriptItem } from '../model/conversation.js';
import { buildTranscript, tasksOf } from '../model/conversation.js';
import { useAppStore } from '../store/app-store.js';
import { coreApi } from '../store/actions.js';
import { openConversation } from '../store/coding-actions.js';
import { Composer } from './composer.js';
import { TranscriptRow } from './transcript-row.js';

/** A transcript with more items than this renders only those in view. */
export const VIRTUALIZE_TRANSCRIPT_ABOVE = 150;

const NONE: readonly ConversationEntry[] = [];

export function ConversationPanel(props: { peer: string }): ReactNode {
  const { peer } = props;
  const entries = useAppStore((state) => state.conversations.get(peer) ?? NONE);
  const [loadError, setLoadError] = useState<CallErrorView | null>(null);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    let current = true;
    openConversation(coreApi(), peer).then(
      () => current && setLoading(false),
      (error: unknown) => {
        if (!current) return;
        setLoading(false);
        setLoadError(describeCallError(error));
      },
    );
    return () => {
      current = false;
    };
  }, [peer]);
  const items = useMemo(() => buildTranscript(entries), [entries]);
  const tasks = useMemo(() => tasksOf(items), [items]);
  return (
    <div className="conversation" data-testid="conversation" data-peer={peer}>
      {loadError ? <CallError error={loadError} /> : null}
      {items.length === 0 && !loading && !loadError ? (
        <p className="muted small" data-testid="conversation-empty">
          Nothing yet. Send {peer} a task below: it answers here as it works.
        </p>
      ) : null}
      <Transcript items={items} />
      <Composer peer={peer} tasks={tasks} />
    </div>
  );
}

/** Follows the newest item while the reader is at the bottom; leaves them be when they scrolled up. */
function Transcript(props: { items: TranscriptItem[] }): ReactNode {
  const { items } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const virtual = items.length > VIRTUALIZE_TRANSCRIPT_ABOVE;
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [items]);
  return (
    <div
      ref={scroller}
      className="transcript"
      data-testid="transcript"
      data-virtual={virtual ? 'true' : undefined}
      role="log"
      aria-live="polite"
      onScroll={(event) => {
        const element = event.currentTarget;
        atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
      }}
    >
      {virtual ? <VirtualItems items={items} scroller={scroller} /> : items.map((item) => <TranscriptRow key={item.key} item={item} />)}
    </div>
  );
}

function VirtualItems(props: { items: TranscriptItem[]; scroller: React.RefObject<HTMLDivElement | null> }): ReactNode {
  const { items, scroller } = props;
  // TanStack Virtual is known not to suit the React Compiler, which this app does not use.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 44,
    overscan: 8,
    getItemKey: (index) => items[index]?.key ?? index,
    initialRect: { width: 800, height: 600 },
  });
  return (
    <div className="transcript__space" style={{ height: virtualizer.getTotalSize() }}>
      {virtualizer.getVirtualItems().map((row) => {
        const item = items[row.index];
        return item ? (
          <div key={row.key} data-index={row.index} ref={virtualizer.measureElement} className="transcript__slot" style={{ transform: `translateY(${row.start}px)` }}>
            <TranscriptRow item={item} />
          </div>
        ) : null;
      })}
    </div>
  );
}
