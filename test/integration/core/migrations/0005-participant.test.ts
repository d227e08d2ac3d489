import { describe, expect, it } from 'vitest';
import { TraceStore } from '../../../../src/core/traces/trace-store.js';
import { ConversationStore } from '../../../../src/core/participant/conversation-store.js';
import { columns, databaseAt, indexes, tables, upgradeTo } from './step-db.js';

describe('migration 0005: participant', () => {
  it('upgrades a database at 4, keeping its traces, and bounds each conversation by peer', () => {
    const { db } = databaseAt(4, (old) => {
      const traces = new TraceStore(old, { clock: { now: () => 5 } });
      traces.open({ messageId: 'msg-000001', traceId: 't', repo: 'team', from: 'user', to: 'echo', kind: 'text', body: 'hi' }, { where: 'router', event: 'accepted' });
      traces.close();
    });
    expect(upgradeTo(db, 5)).toBe(5);

    expect(db.prepare('SELECT message_id, from_agent, to_agent FROM traces').all()).toEqual([{ message_id: 'msg-000001', from_agent: 'user', to_agent: 'echo' }]);
    expect(tables(db)).toEqual([
      'agent_attributes',
      'agents',
      'approvals',
      'conversation',
      'inbound_seen',
      'outbox',
      'registry_state',
      'settings',
      'task_usage',
      'trace_hops',
      'traces',
    ]);
    expect(columns(db, 'conversation')).toEqual([
      'seq INTEGER PK',
      'message_id TEXT NOT NULL',
      'direction TEXT NOT NULL',
      'peer TEXT NOT NULL',
      'repo TEXT NOT NULL',
      'at INTEGER NOT NULL',
      'kind TEXT NOT NULL',
      'body TEXT NOT NULL',
      'task_id TEXT',
    ]);
    expect(indexes(db, 'conversation')).toEqual(['conversation_peer(peer, seq)', 'u(message_id, direction)']);
    expect(columns(db, 'approvals')).toEqual([
      'approval_id TEXT NOT NULL PK',
      'from_agent TEXT NOT NULL',
      'repo TEXT NOT NULL',
      'message_id TEXT NOT NULL',
      'task_id TEXT NOT NULL',
      'tool TEXT NOT NULL',
      'summary TEXT NOT NULL',
      'input TEXT NOT NULL',
      'cwd TEXT NOT NULL',
      'requested_at INTEGER NOT NULL',
      'expires_at INTEGER NOT NULL',
      'state TEXT NOT NULL',
      'answered_at INTEGER',
    ]);
    expect(indexes(db, 'approvals')).toEqual(['approvals_state(state, requested_at)', 'pk(approval_id)']);
    expect(columns(db, 'task_usage')).toEqual([
      'agent TEXT NOT NULL PK',
      'repo TEXT NOT NULL PK',
      'task_id TEXT NOT NULL PK',
      'message_id TEXT NOT NULL PK',
      'at INTEGER NOT NULL',
      'ok INTEGER NOT NULL',
      'input_tokens INTEGER NOT NULL',
      'output_tokens INTEGER NOT NULL',
      'cached_input_tokens INTEGER NOT NULL',
      'cost_usd REAL',
      'duration_ms INTEGER NOT NULL',
    ]);
    expect(indexes(db, 'task_usage')).toEqual(['pk(agent, repo, task_id, message_id)', 'task_usage_at(at)']);
    // A state outside the four is refused by the table itself.
    expect(() =>
      db.prepare("INSERT INTO approvals VALUES ('ap-00000001', 'a', 'r', 'm', 't', 'Write', 's', '{}', '/', 1, 2, 'maybe', NULL)").run(),
    ).toThrow(/CHECK/);

    // Bounded per peer: the oldest go, the other peer keeps its own.
    const store = new ConversationStore(db, 3);
    const entry = (n: number, peer: string) => ({ messageId: `msg-${peer}-${n}`, at: n, direction: 'in' as const, peer, repo: 'team', kind: 'text' as const, body: n, taskId: null });
    for (let n = 1; n <= 5; n++) expect(store.append(entry(n, 'echo'))).toBe(true);
    expect(store.append(entry(1, 'other'))).toBe(true);
    // The same message in the same direction is kept once.
    expect(store.append(entry(5, 'echo'))).toBe(false);
    expect(store.get('echo', 100).map((e) => e.body)).toEqual([3, 4, 5]);
    expect(store.get('other', 100).map((e) => e.body)).toEqual([1]);
  });
});
