/**
 * Approvals asked of the person, in SQLite. A state change is a compare-and-set on the
 * current state, so two answers racing for one approval cannot both win.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ApprovalState, ApprovalView } from '../../shared/coding-contract.js';

interface Row {
  approval_id: string;
  from_agent: string;
  repo: string;
  message_id: string;
  task_id: string;
  tool: string;
  summary: string;
  input: string;
  cwd: string;
  requested_at: number;
  expires_at: number;
  state: ApprovalState;
  answered_at: number | null;
}

/** Closed approvals kept (the newest); pending ones are always kept. */
export const CLOSED_APPROVALS_KEPT = 5_000;

export class ApprovalStore {
  private readonly insert: Statement<Row>;
  private readonly byId: Statement<[string], Row>;
  private readonly transition: Statement<{ id: string; from: ApprovalState; to: ApprovalState; at: number | null }>;
  private readonly all: Statement<[], Row>;
  private readonly inState: Statement<[string], Row>;
  private readonly pendingCount: Statement<[], { n: number }>;
  private readonly trim: Statement<{ keep: number }>;

  constructor(db: Database) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO approvals
         (approval_id, from_agent, repo, message_id, task_id, tool, summary, input, cwd, requested_at, expires_at, state, answered_at)
       VALUES (@approval_id, @from_agent, @repo, @message_id, @task_id, @tool, @summary, @input, @cwd, @requested_at, @expires_at, @state, @answered_at)`,
    );
    this.byId = db.prepare('SELECT * FROM approvals WHERE approval_id = ?');
    this.transition = db.prepare('UPDATE approvals SET state = @to, answered_at = @at WHERE approval_id = @id AND state = @from');
    this.all = db.prepare('SELECT * FROM approvals ORDER BY requested_at DESC, approval_id');
    this.inState = db.prepare('SELECT * FROM approvals WHERE state = ? ORDER BY requested_at DESC, approval_id');
    this.pendingCount = db.prepare("SELECT COUNT(*) AS n FROM approvals WHERE state = 'pending'");
    this.trim = db.prepare(
      `DELETE FROM approvals WHERE state <> 'pending' AND approval_id IN (
         SELECT approval_id FROM approvals WHERE state <> 'pending' ORDER BY requested_at DESC LIMIT -1 OFFSET @keep)`,
    );
  }

  /** Keeps a new request; false when an approval with that id exists already (the first one stands). */
  add(view: ApprovalView): boolean {
    const added =
      this.insert.run({
        approval_id: view.approvalId,
        from_agent: view.from,
        repo: view.repo,
        message_id: view.messageId,
        task_id: view.taskId,
        tool: view.tool,
        summary: view.summary,
        input: JSON.stringify(view.input ?? null),
        cwd: view.cwd,
        requested_at: view.requestedAt,
        expires_at: view.expiresAt,
        state: view.state,
        answered_at: view.answeredAt,
      }).changes === 1;
    if (added) this.trim.run({ keep: CLOSED_APPROVALS_KEPT });
    return added;
  }

  get(approvalId: string): ApprovalView | undefined {
    const row = this.byId.get(approvalId);
    return row ? viewOf(row) : undefined;
  }

  /** Moves an approval from `from` to `to`; false (nothing written) if it was not in `from`. */
  move(approvalId: string, from: ApprovalState, to: ApprovalState, answeredAt: number | null): boolean {
    return this.transition.run({ id: approvalId, from, to, at: answeredAt }).changes === 1;
  }

  /** Newest first. */
  list(state?: ApprovalState): ApprovalView[] {
    return (state === undefined ? this.all.all() : this.inState.all(state)).map(viewOf);
  }

  pending(): number {
    return this.pendingCount.get()!.n;
  }
}

function viewOf(row: Row): ApprovalView {
  return {
    approvalId: row.approval_id,
    from: row.from_agent,
    repo: row.repo,
    messageId: row.message_id,
    taskId: row.task_id,
    tool: row.tool,
    summary: row.summary,
    input: JSON.parse(row.input) as ApprovalView['input'],
    cwd: row.cwd,
    requestedAt: row.requested_at,
    expiresAt: row.expires_at,
    state: row.state,
    answeredAt: row.answered_at,
  };
}
