/**
 * Tasks in SQLite (migration 0007): the records this host tracks and those it mirrors
 * from the team's tasks bucket. Every record is parsed with TaskRecord on the way in and
 * out, so a row can never hold half a task.
 */
import type { Database, Statement } from 'better-sqlite3';
import { parseUnknown } from '../../shared/parse.js';
import type { TaskPhase, TaskQuery } from '../../shared/tasks.js';
import { TaskRecord } from '../../shared/tasks.js';

interface Row {
  record: string;
  tracked: number;
}

export class TaskStore {
  private readonly upsertRow: Statement;
  private readonly selectOne: Statement<[string, string], Row>;
  private readonly selectOpen: Statement<[], Row>;
  private readonly deleteRow: Statement<[string, string]>;

  constructor(private readonly db: Database) {
    this.upsertRow = db.prepare(`INSERT INTO tasks
      (repo, id, phase, requested_by, assigned_to, target, parent_id, tracked, deadline, created_at, updated_at, record)
      VALUES (@repo, @id, @phase, @requestedBy, @assignedTo, @target, @parentId, @tracked, @deadline, @createdAt, @updatedAt, @record)
      ON CONFLICT (repo, id) DO UPDATE SET phase = excluded.phase, assigned_to = excluded.assigned_to,
        tracked = MAX(tasks.tracked, excluded.tracked), updated_at = excluded.updated_at, record = excluded.record`);
    this.deleteRow = db.prepare('DELETE FROM tasks WHERE repo = ? AND id = ?');
    this.selectOne = db.prepare('SELECT record, tracked FROM tasks WHERE repo = ? AND id = ?');
    this.selectOpen = db.prepare("SELECT record, tracked FROM tasks WHERE tracked = 1 AND phase NOT IN ('complete', 'failed')");
  }

  /** Writes a record; `tracked` marks it as ours to follow (a mirrored copy never clears that). */
  put(record: TaskRecord, tracked: boolean): TaskRecord {
    const task = parseUnknown(TaskRecord, record, 'task');
    this.upsertRow.run({
      repo: task.repo,
      id: task.id,
      phase: task.phase,
      requestedBy: task.requestedBy,
      assignedTo: task.assignedTo,
      target: task.target,
      parentId: task.parentId,
      tracked: tracked ? 1 : 0,
      deadline: task.createdAt + task.timeoutMs,
      createdAt: task.createdAt,
      updatedAt: task.updatedAt,
      record: JSON.stringify(task),
    });
    return task;
  }

  /** Forgets a task that never came to be (its first send was refused). */
  remove(repo: string, id: string): void {
    this.deleteRow.run(repo, id);
  }

  get(repo: string, id: string): { task: TaskRecord; tracked: boolean } | undefined {
    const row = this.selectOne.get(repo, id);
    return row ? { task: readRow(row), tracked: row.tracked === 1 } : undefined;
  }

  /** Tasks this host follows that have not ended: what timeouts and the queue watch. */
  open(): TaskRecord[] {
    return this.selectOpen.all().map(readRow);
  }

  /** Newest first, filtered by the query (agent: requested by or assigned to). */
  list(query: TaskQuery): TaskRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.repo !== undefined) {
      where.push('repo = ?');
      params.push(query.repo);
    }
    if (query.agent !== undefined) {
      where.push('(requested_by = ? OR assigned_to = ?)');
      params.push(query.agent, query.agent);
    }
    if (query.phase !== undefined && query.phase.length > 0) {
      where.push(`phase IN (${query.phase.map(() => '?').join(', ')})`);
      params.push(...(query.phase satisfies TaskPhase[]));
    }
    if (query.parentId !== undefined) {
      where.push('parent_id = ?');
      params.push(query.parentId);
    }
    const sql = `SELECT record, tracked FROM tasks ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, id LIMIT ?`;
    return (this.db.prepare(sql).all(...params, query.limit ?? 500) as Row[]).map(readRow);
  }
}

function readRow(row: Row): TaskRecord {
  return parseUnknown(TaskRecord, JSON.parse(row.record), 'stored task');
}
