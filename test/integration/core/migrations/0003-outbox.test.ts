import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteRegistry } from '../../../../src/core/registry/sqlite-registry.js';
import { Outbox } from '../../../../src/core/router/outbox.js';
import { registration } from '../../registry/registry-fixture.js';
import { columns, databaseAt, indexes, tables, upgradeTo } from './step-db.js';

const message = (id: string, to: string) => ({
  id,
  from: 'a',
  to,
  repo: 'team',
  body: { n: id },
  kind: 'text' as const,
  timestamp: 1,
  traceId: '0123456789abcdef0123456789abcdef',
  route: { sourceLocation: 'local' as const, destLocation: 'remote' as const, routedVia: 'outbox' as const, routedAt: 1 },
});

const agentRows = (db: Database) => db.prepare('SELECT repo, name, type, status FROM agents ORDER BY name').all();

describe('migration 0003: outbox', () => {
  it('upgrades a database at 2, keeping its registry, and keeps order per destination', () => {
    const { db } = databaseAt(2, (old) => {
      old.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('hybrid-config', '{"enabled":false}', 7);
      const registry = createSqliteRegistry(old, { clock: { now: () => 1 }, sweepEveryMs: false });
      registry.register(registration({ name: 'agent-a', capabilities: ['review'] }));
      registry.register(registration({ name: 'agent-b' }));
      registry.close();
    });
    const agentsBefore = agentRows(db);
    expect(agentsBefore).toHaveLength(2);
    expect(upgradeTo(db, 3)).toBe(3);

    expect(agentRows(db)).toEqual(agentsBefore);
    expect(db.prepare('SELECT COUNT(*) AS n FROM agent_attributes').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT value FROM settings').all()).toEqual([{ value: '{"enabled":false}' }]);
    expect(tables(db)).toEqual(['agent_attributes', 'agents', 'inbound_seen', 'outbox', 'registry_state', 'settings']);
    expect(columns(db, 'outbox')).toEqual([
      'seq INTEGER PK',
      'message_id TEXT NOT NULL',
      'repo TEXT NOT NULL',
      'to_agent TEXT NOT NULL',
      'reason TEXT NOT NULL',
      'message TEXT NOT NULL',
      'traceparent TEXT NOT NULL',
      'enqueued_at INTEGER NOT NULL',
      'expires_at INTEGER',
      'attempts INTEGER NOT NULL = 0',
      'last_error TEXT',
    ]);
    expect(indexes(db, 'outbox')).toEqual(['outbox_dest(repo, to_agent, seq)', 'u(message_id)']);
    expect(columns(db, 'inbound_seen')).toEqual(['message_id TEXT NOT NULL PK', 'seen_at INTEGER NOT NULL']);
    expect(indexes(db, 'inbound_seen')).toEqual(['inbound_seen_at(seen_at)', 'pk(message_id)']);

    const outbox = new Outbox(db);
    for (const [id, to] of [['m-000001', 'x'], ['m-000002', 'y'], ['m-000003', 'x']] as const) {
      outbox.enqueue({ message: message(id, to), traceparent: '00-a-b-01', reason: 'link-down', enqueuedAt: 1, expiresAt: null });
    }
    // The same message id twice is one row: a retry never queues a duplicate.
    expect(outbox.enqueue({ message: message('m-000001', 'x'), traceparent: '', reason: 'link-down', enqueuedAt: 2, expiresAt: null })).toBe(false);
    expect(outbox.peek('team', 'x').map((r) => r.messageId)).toEqual(['m-000001', 'm-000003']);
    expect(outbox.size()).toBe(3);
    // The durable connection fsyncs: FULL is 2.
    expect((outbox as unknown as { durable: Database }).durable.pragma('synchronous', { simple: true })).toBe(2);
    outbox.close();

    // The inbound ledger refuses a message id it has already seen.
    const seen = db.prepare('INSERT INTO inbound_seen (message_id, seen_at) VALUES (?, ?)');
    seen.run('m-000001', 1);
    expect(() => seen.run('m-000001', 2)).toThrow(/UNIQUE constraint failed/);
  });
});
