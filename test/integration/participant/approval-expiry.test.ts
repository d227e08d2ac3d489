import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../../../src/core/db/database.js';
import { ApprovalStore } from '../../../src/core/participant/approval-store.js';
import type { ApprovalsOptions } from '../../../src/core/participant/approvals.js';
import { Approvals } from '../../../src/core/participant/approvals.js';
import type { ApprovalsChanged } from '../../../src/shared/coding-contract.js';
import type { RoutedMessage } from '../../../src/shared/domain.js';
import { tempDirsPerTest } from '../../helpers/temp-dir.js';
import type { ManualClock } from '../../helpers/test-clocks.js';
import { manualClock } from '../../helpers/test-clocks.js';

const tempDir = tempDirsPerTest('sy-approvals-');
const open: Database[] = [];
afterEach(() => open.splice(0).forEach((db) => db.open && db.close()));

function request(approvalId: string, expiresAt: number): RoutedMessage {
  return {
    id: `msg-${approvalId}`,
    from: 'coder',
    to: 'user',
    repo: 'app',
    kind: 'approval.requested',
    body: { approvalId, taskId: 'task-1', tool: 'Write', summary: 'Write a.ts', input: { path: 'a.ts' }, cwd: '/w', expiresAt },
    timestamp: 0,
    traceId: 't',
    route: { sourceLocation: 'local', destLocation: 'local', routedVia: 'local', routedAt: 0 },
  };
}

/** Approvals on a real database file with time the test drives; `sent` records what went to the router. */
function approvalsOn(file: string, clock: ManualClock, send?: ApprovalsOptions['send']) {
  const db = openDatabase(file);
  open.push(db);
  const sent: Array<Parameters<ApprovalsOptions['send']>[0]> = [];
  const changes: ApprovalsChanged[] = [];
  const approvals = new Approvals({
    store: new ApprovalStore(db),
    clock,
    send: send ?? (async (answer) => void sent.push(answer)),
    onChanged: (payload) => changes.push(payload),
  });
  return { db, approvals, sent, changes };
}

describe('approval expiry on the core clock', () => {
  it('expires at expiresAt and not a moment before; an answer in time goes out', async () => {
    const clock = manualClock(1_000);
    const { approvals, sent, changes } = approvalsOn(join(tempDir(), 'a.db'), clock);
    approvals.requested(request('approval-early', 6_000));
    approvals.requested(request('approval-late1', 6_000));
    expect(changes.map((c) => c.pending)).toEqual([1, 2]);

    clock.advance(4_999);
    expect(approvals.list('pending')).toHaveLength(2);
    await approvals.answer({ approvalId: 'approval-early', allow: true });
    expect(sent).toEqual([{ to: 'coder', repo: 'app', kind: 'approval.granted', body: { approvalId: 'approval-early', always: false } }]);

    clock.advance(1);
    expect(approvals.list('expired').map((a) => a.approvalId)).toEqual(['approval-late1']);
    expect(changes.at(-1)).toMatchObject({ pending: 0, changed: [{ approvalId: 'approval-late1', state: 'expired', answeredAt: null }] });
    await expect(approvals.answer({ approvalId: 'approval-late1', allow: true })).rejects.toMatchObject({ name: 'ApprovalClosed' });
    expect(sent).toHaveLength(1);
    // Nothing is left scheduled once nothing is pending.
    expect(clock.pending()).toBe(0);
  });

  it('takes an approval that arrives already expired as expired', () => {
    const clock = manualClock(10_000);
    const { approvals, changes } = approvalsOn(join(tempDir(), 'a.db'), clock);
    expect(approvals.requested(request('approval-stale', 9_999))?.state).toBe('expired');
    expect(changes).toMatchObject([{ pending: 0, changed: [{ state: 'expired' }] }]);
    // The same request again (a redelivery) changes nothing.
    expect(approvals.requested(request('approval-stale', 99_999))).toBeUndefined();
    expect(changes).toHaveLength(1);
  });

  it('after a restart, expires what passed while it was closed and waits for the rest', () => {
    const file = join(tempDir(), 'a.db');
    const clock = manualClock(0);
    const first = approvalsOn(file, clock);
    first.approvals.requested(request('approval-soon', 5_000));
    first.approvals.requested(request('approval-later', 50_000));
    first.approvals.close();
    first.db.close();
    expect(clock.pending()).toBe(0);

    clock.advance(10_000);
    const second = approvalsOn(file, clock);
    expect(second.approvals.list('expired').map((a) => a.approvalId)).toEqual(['approval-soon']);
    expect(second.approvals.list('pending').map((a) => a.approvalId)).toEqual(['approval-later']);
    clock.advance(40_000);
    expect(second.approvals.list('pending')).toEqual([]);
  });

  it('puts an approval back to pending when the router refuses the answer', async () => {
    const clock = manualClock(0);
    const refusal = Object.assign(new Error('no agent "coder"'), { name: 'NoSuchAgent' });
    const { approvals, changes } = approvalsOn(join(tempDir(), 'a.db'), clock, async () => {
      throw refusal;
    });
    approvals.requested(request('approval-refused', 5_000));
    await expect(approvals.answer({ approvalId: 'approval-refused', allow: false })).rejects.toBe(refusal);
    expect(approvals.list('pending').map((a) => a.approvalId)).toEqual(['approval-refused']);
    expect(changes).toHaveLength(1);
    // Its expiry still stands.
    clock.advance(5_000);
    expect(approvals.list('expired')).toHaveLength(1);
  });
});
