import { describe, expect, it } from 'vitest';
import { applyTraceBatch, emptyTraceList } from '../../../src/renderer/src/model/trace-list.js';
import { LiveBuffer } from '../../../src/renderer/src/store/live-buffer.js';
import { trace } from './traces-fixtures.js';

const changes = (...items: ReturnType<typeof trace>[]) => new Map(items.map((item) => [item.messageId, item] as const));

describe('applyTraceBatch', () => {
  it('keeps rows newest first as pages and events arrive in any order', () => {
    const old = trace({ createdAt: 100 });
    const mid = trace({ createdAt: 200 });
    const fresh = trace({ createdAt: 300 });
    let list = applyTraceBatch(emptyTraceList(), [mid], new Map());
    list = applyTraceBatch(list, null, changes(fresh, old));
    expect(list.rows.map((r) => r.createdAt)).toEqual([300, 200, 100]);
    expect(list.byId.get(old.messageId)).toBe(old);
  });

  it('replaces a changed message in place and keeps unchanged rows by identity', () => {
    const a = trace({ createdAt: 100, status: 'accepted', updatedAt: 100 });
    const b = trace({ createdAt: 200 });
    const list = applyTraceBatch(emptyTraceList(), [a, b], new Map());
    const delivered = { ...a, status: 'delivered' as const, updatedAt: 110 };
    const next = applyTraceBatch(list, null, changes(delivered));
    expect(next).not.toBe(list);
    expect(next.rows[0]).toBe(b);
    expect(next.rows[1]).toBe(delivered);
  });

  it('never lets an older page undo a newer event', () => {
    const queued = trace({ createdAt: 100, status: 'queued', updatedAt: 100 });
    const delivered = { ...queued, status: 'delivered' as const, updatedAt: 150 };
    const list = applyTraceBatch(emptyTraceList(), [delivered], new Map());
    const after = applyTraceBatch(list, null, changes(queued));
    expect(after.rows[0]?.status).toBe('delivered');
  });

  it('drops the oldest rows beyond the cap, from the index too', () => {
    const rows = Array.from({ length: 5 }, (_, i) => trace({ createdAt: 1000 + i }));
    const list = applyTraceBatch(emptyTraceList(), rows, new Map(), 3);
    expect(list.rows.map((r) => r.createdAt)).toEqual([1004, 1003, 1002]);
    expect(list.byId.size).toBe(3);
    expect(list.byId.has(rows[0]!.messageId)).toBe(false);
  });
});

describe('LiveBuffer traces', () => {
  it('folds many events for one message into its newest summary', () => {
    const buffer = new LiveBuffer();
    const first = trace({ createdAt: 100, status: 'accepted', updatedAt: 100 });
    buffer.pushTraces([first]);
    buffer.pushTraces([{ ...first, status: 'published', updatedAt: 120 }]);
    buffer.pushTraces([{ ...first, status: 'accepted', updatedAt: 100 }]);
    const batch = buffer.take();
    expect(batch.traceChanges.size).toBe(1);
    expect(batch.traceChanges.get(first.messageId)?.status).toBe('published');
    expect(buffer.isEmpty).toBe(true);
  });

  it('a snapshot replaces traces buffered before it', () => {
    const buffer = new LiveBuffer();
    buffer.pushTraces([trace({ createdAt: 1 })]);
    const snap = [trace({ createdAt: 2 })];
    buffer.pushTraceSnapshot(snap);
    const batch = buffer.take();
    expect(batch.traceSnapshot).toBe(snap);
    expect(batch.traceChanges.size).toBe(0);
  });
});
