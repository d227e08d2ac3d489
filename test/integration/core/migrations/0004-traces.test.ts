import { describe, expect, it } from 'vitest';
import { Outbox } from '../../../../src/core/router/outbox.js';
import { TraceStore } from '../../../../src/core/traces/trace-store.js';
import { columns, databaseAt, indexes, tables, upgradeTo } from './step-db.js';

const message = {
  id: 'm-000009',
  from: 'a',
  to: 'x',
  repo: 'team',
  body: { n: 9 },
  kind: 'text' as const,
  timestamp: 1,
  traceId: '0123456789abcdef0123456789abcdef',
  route: { sourceLocation: 'local' as const, destLocation: 'remote' as const, routedVia: 'outbox' as const, routedAt: 1 },
};

describe('migration 0004: traces', () => {
  it('upgrades a database at 3, keeping its outbox and ledger, and pages traces newest first', () => {
    const { db } = databaseAt(3, (old) => {
      const outbox = new Outbox(old);
      outbox.enqueue({ message, traceparent: '00-a-b-01', reason: 'link-down', enqueuedAt: 1, expiresAt: null });
      outbox.close();
      old.prepare('INSERT INTO inbound_seen (message_id, seen_at) VALUES (?, ?)').run('m-000001', 5);
    });
    expect(upgradeTo(db, 4)).toBe(4);

    expect(db.prepare('SELECT message_id, to_agent, reason FROM outbox').all()).toEqual([{ message_id: 'm-000009', to_agent: 'x', reason: 'link-down' }]);
    expect(db.prepare('SELECT message_id, seen_at FROM inbound_seen').all()).toEqual([{ message_id: 'm-000001', seen_at: 5 }]);
    expect(tables(db)).toEqual(['agent_attributes', 'agents', 'inbound_seen', 'outbox', 'registry_state', 'settings', 'trace_hops', 'traces']);
    expect(columns(db, 'traces')).toEqual([
      'message_id TEXT NOT NULL PK',
      'trace_id TEXT NOT NULL',
      'repo TEXT NOT NULL',
      'from_agent TEXT NOT NULL',
      'to_agent TEXT NOT NULL',
      'kind TEXT NOT NULL',
      'body TEXT',
      'body_truncated INTEGER NOT NULL = 0',
      'route TEXT',
      'status TEXT NOT NULL',
      'created_at INTEGER NOT NULL',
      'updated_at INTEGER NOT NULL',
    ]);
    expect(indexes(db, 'traces')).toEqual([
      'pk(message_id)',
      'traces_created(created_at, message_id)',
      'traces_from(from_agent, created_at)',
      'traces_to(to_agent, created_at)',
    ]);
    expect(columns(db, 'trace_hops')).toEqual([
      'message_id TEXT NOT NULL PK',
      'seq INTEGER NOT NULL PK',
      'at INTEGER NOT NULL',
      'hop_where TEXT NOT NULL',
      'event TEXT NOT NULL',
      'detail TEXT NOT NULL',
    ]);
    expect(indexes(db, 'trace_hops')).toEqual(['pk(message_id, seq)']);

    let now = 1000;
    const traces = new TraceStore(db, { clock: { now: () => now }, maxMessages: 3 });
    for (let i = 0; i < 5; i++) {
      now += 1;
      traces.open({ messageId: `msg-00000${i}`, traceId: 't', repo: 'team', from: 'a', to: 'b', kind: 'text', body: i }, { where: 'router', event: 'accepted' });
    }
    traces.flush();
    const first = traces.query({ limit: 2 });
    expect(first.items.map((i) => i.messageId)).toEqual(['msg-000004', 'msg-000003']);
    const second = traces.query({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((i) => i.messageId)).toEqual(['msg-000002', 'msg-000001']);
    // Retention by count: keep the newest 3, hops go with their message.
    traces.prune(now);
    expect(traces.query({}).items.map((i) => i.messageId)).toEqual(['msg-000004', 'msg-000003', 'msg-000002']);
    expect(db.prepare('SELECT COUNT(*) AS n FROM trace_hops').get()).toEqual({ n: 3 });
    // Retention by age.
    now += 8 * 24 * 3600 * 1000;
    traces.prune(now);
    expect(traces.query({}).items).toEqual([]);
  });
});
