import { describe, expect, it } from 'vitest';
import { bodyText, formatDuration, formatLatency, formatRoute, hopTimeline, statusTone, traceRowCells, traceparentsOf } from '../../../src/renderer/src/traces/trace-format.js';
import { filterTraces } from '../../../src/renderer/src/model/trace-filter.js';
import type { Hop } from '../../../src/shared/domain.js';
import { trace } from './traces-fixtures.js';

const hop = (seq: number, at: number, event: Hop['event'], detail = ''): Hop => ({
  messageId: 'msg-00000001',
  seq,
  at,
  where: 'router',
  event,
  detail,
});

describe('trace rows', () => {
  it('reads as time, from → to, kind, route, latency, status', () => {
    const at = new Date(2026, 0, 2, 14, 3, 7, 42).getTime();
    const row = trace({
      createdAt: at,
      updatedAt: at + 12,
      from: 'ws',
      to: 'review',
      kind: 'task.assigned',
      route: { sourceLocation: 'local', destLocation: 'remote', routedVia: 'nats', routedAt: at },
    });
    expect(traceRowCells(row)).toEqual({
      time: '14:03:07.042',
      fromTo: 'ws → review',
      kind: 'task.assigned',
      route: 'nats · laptop → remote',
      latency: '12 ms',
      status: 'delivered',
    });
  });

  it('shows no latency while a message is on its way, and no route for a refused one', () => {
    expect(formatLatency(trace({ createdAt: 1, status: 'queued' }))).toBe('…');
    expect(formatRoute(null)).toBe('—');
  });

  it('formats durations from sub-millisecond to minutes', () => {
    expect(formatDuration(0.84)).toBe('0.8 ms');
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(1400)).toBe('1.40 s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(formatDuration(-1)).toBe('—');
  });

  it('filters by agent (either end), kind and status, and in flight', () => {
    const rows = [
      trace({ createdAt: 3, from: 'a', to: 'b', kind: 'text' }),
      trace({ createdAt: 2, from: 'c', to: 'a', kind: 'task.assigned', status: 'queued' }),
      trace({ createdAt: 1, from: 'c', to: 'd', kind: 'text', status: 'failed' }),
    ];
    expect(filterTraces(rows, { agent: '', kind: '', status: '' })).toBe(rows);
    expect(filterTraces(rows, { agent: 'a', kind: '', status: '' })).toHaveLength(2);
    expect(filterTraces(rows, { agent: '', kind: 'text', status: 'failed' }).map((r) => r.to)).toEqual(['d']);
    expect(filterTraces(rows, { agent: '', kind: '', status: 'in-flight' }).map((r) => r.from)).toEqual(['c']);
  });
});

describe('the inspector', () => {
  it('puts hops on a timeline relative to the first, in seq order', () => {
    const timeline = hopTimeline([hop(2, 1_030, 'delivered'), hop(0, 1_000, 'accepted'), hop(1, 1_004, 'published')]);
    expect(timeline.map((h) => [h.event, h.offsetMs, h.deltaMs])).toEqual([
      ['accepted', 0, 0],
      ['published', 4, 4],
      ['delivered', 30, 26],
    ]);
  });

  it('finds the traceparent headers recorded in hop details', () => {
    const parent = '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01';
    expect(traceparentsOf([hop(0, 1, 'accepted'), hop(1, 2, 'published', `stream seq 4; ${parent}`)])).toEqual([parent]);
    expect(traceparentsOf([hop(0, 1, 'accepted')])).toEqual([]);
  });

  it('shows a body as text, capped, markup left as characters', () => {
    expect(bodyText('<script>alert(1)</script>').text).toBe('<script>alert(1)</script>');
    expect(bodyText({ a: 1 }).text).toBe('{\n  "a": 1\n}');
    const long = bodyText('x'.repeat(100), 10);
    expect(long).toEqual({ text: 'x'.repeat(10), cut: true, size: 100 });
  });
});

describe('the work model’s hops', () => {
  it('dispatched and spawned read as on the way, failover as a warning', () => {
    expect(statusTone('dispatched')).toBe('pending');
    expect(statusTone('spawned')).toBe('pending');
    expect(statusTone('failover')).toBe('warn');
  });
});
