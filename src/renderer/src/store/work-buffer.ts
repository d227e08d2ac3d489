/**
 * The work model's live data between two frames: changed tasks folded by task, changed
 * blackboard entries folded by key, so any number of `tasks.changed` and
 * `context.changed` events before a frame cost one store update (actions.ts `flushLive`).
 */
import type { ContextEntry } from '../../../shared/blackboard.js';
import type { TaskRecord } from '../../../shared/tasks.js';
import { applyContextEntries } from '../model/context-entries.js';
import { applyTaskUpserts } from '../model/task-board.js';
import type { AppState } from './slices.js';

/**
 * A first load's answer: it replaces what the window held, but keeps anything that
 * changed since the load began (`since`, epoch ms), which the answer may predate.
 */
export interface WorkSnapshot<T> {
  since: number;
  items: T[];
}

export class WorkBuffer {
  private tasks = new Map<string, TaskRecord>();
  private entries = new Map<string, ContextEntry>();
  private taskSnapshot: WorkSnapshot<TaskRecord> | null = null;
  private entrySnapshot: WorkSnapshot<ContextEntry> | null = null;

  /** Events buffered before the snapshot still apply on top of it (newer wins). */
  pushTaskSnapshot(snapshot: WorkSnapshot<TaskRecord>): void {
    this.taskSnapshot = snapshot;
  }

  pushEntrySnapshot(snapshot: WorkSnapshot<ContextEntry>): void {
    this.entrySnapshot = snapshot;
  }

  pushTasks(upserts: Iterable<TaskRecord>): void {
    this.tasks = applyTaskUpserts(this.tasks, upserts);
  }

  pushEntries(entries: Iterable<ContextEntry>): void {
    this.entries = applyContextEntries(this.entries, entries);
  }

  get isEmpty(): boolean {
    return this.tasks.size === 0 && this.entries.size === 0 && this.taskSnapshot === null && this.entrySnapshot === null;
  }

  take(): WorkBatch {
    const batch = {
      tasks: [...this.tasks.values()],
      entries: [...this.entries.values()],
      taskSnapshot: this.taskSnapshot,
      entrySnapshot: this.entrySnapshot,
    };
    this.tasks = new Map();
    this.entries = new Map();
    this.taskSnapshot = null;
    this.entrySnapshot = null;
    return batch;
  }
}

export interface WorkBatch {
  tasks: TaskRecord[];
  entries: ContextEntry[];
  taskSnapshot: WorkSnapshot<TaskRecord> | null;
  entrySnapshot: WorkSnapshot<ContextEntry> | null;
}

/** What a snapshot keeps of the held map: only what changed since its load began. */
function since<T extends { updatedAt: number }>(held: ReadonlyMap<string, T>, from: number): Map<string, T> {
  const kept = new Map<string, T>();
  for (const [key, item] of held) if (item.updatedAt >= from) kept.set(key, item);
  return kept;
}

/** The store's work fields after a batch; untouched fields keep their identity. */
export function applyWorkBatch(state: AppState, batch: WorkBatch): Partial<AppState> {
  const out: Partial<AppState> = {};
  if (batch.taskSnapshot || batch.tasks.length > 0) {
    const base = batch.taskSnapshot
      ? applyTaskUpserts(since(state.tasks, batch.taskSnapshot.since), batch.taskSnapshot.items)
      : state.tasks;
    out.tasks = applyTaskUpserts(base, batch.tasks);
  }
  if (batch.entrySnapshot || batch.entries.length > 0) {
    const base = batch.entrySnapshot
      ? applyContextEntries(since(state.contextEntries, batch.entrySnapshot.since), batch.entrySnapshot.items)
      : state.contextEntries;
    out.contextEntries = applyContextEntries(base, batch.entries);
  }
  return out;
}
