import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, schemaVersion } from '../../../src/core/db/migrations.js';
import { Outbox } from '../../../src/core/router/outbox.js';
import { TraceStore } from '../../../src/core/traces/trace-store.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const dirs: Array<{ remove(): void }> = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

function tempDb(): BetterSqlite3.Database {
  const dir = makeTempDir();
  dirs.push(dir);
  const db = new BetterSqlite3(join(dir.path, 'test.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  return db;
}

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

describe('router migrations', () => {
  it('3 (outbox) upgrades a database at 2, keeping its registry, and keeps order per destination', () => {
    const db = tempDb();
    migrate(db, MIGRATIONS, 2);
    const agents = db.prepare('SELECT COUNT(*) AS n FROM agents').get();
    expect(migrate(db, MIGRATIONS, 3)).toBe(3);
    expect(db.prepare('SELECT COUNT(*) AS n FROM agents').get()).toEqual(agents);
    const outbox = new Outbox(db);
    for (const [id, to] of [['m-000001', 'x'], ['m-000002', 'y'], ['m-000003', 'x']] as const) {
      outbox.enqueue({ message: message(id, to), traceparent: '00-a-b-01', reason: 'link-down', enqueuedAt: 1, expiresAt: null });
    }
    expect(outbox.enqueue({ message: message('m-000001', 'x'), traceparent: '', reason: 'link-down', enqueuedAt: 2, expiresAt: null })).toBe(false);
    expect(outbox.peek('team', 'x').map((r) => r.messageId)).toEqual(['m-000001', 'm-000003']);
    expect(outbox.size()).toBe(3);
    // The durable connection fsyncs: FULL is 2.
    expect((outbox as unknown as { durable: BetterSqlite3.Database }).durable.pragma('synchronous', { simple: true })).toBe(2);
    outbox.close();
    db.close();
  });

  it('4 (traces) upgrades a database at 3, keeping its outbox, and pages newest first', () => {
    const db = tempDb();
    migrate(db, MIGRATIONS, 3);
    new Outbox(db).enqueue({ message: message('m-000009', 'x'), traceparent: '', reason: 'link-down', enqueuedAt: 1, expiresAt: null });
    expect(migrate(db, MIGRATIONS, 4)).toBe(4);
    expect(schemaVersion(db)).toBe(4);
    expect(db.prepare('SELECT message_id FROM outbox').all()).toEqual([{ message_id: 'm-000009' }]);
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
    db.close();
  });
});
