/**
 * Tasks as the requester's host follows them (docs/tasks.md): creates a task and sends
 * its `task.assigned`, moves its phase on every message about it that passes through
 * this host (phase-machine.ts), fails it at its deadline, and cancels it on request.
 *
 * The same service runs on a desktop (messages seen by its router, records in SQLite and
 * put to the team's bucket through the coordinator) and in the coordinator for its team
 * agents (records written to the bucket directly). It knows neither: its neighbours are
 * the small interface below.
 */
import type { RoutedMessage } from '../../shared/domain.js';
import type { DispatchTarget } from '../../shared/dispatch.js';
import { isRoleTarget, parseTarget } from '../../shared/dispatch.js';
import { TaskNotFound } from '../../shared/errors.js';
import type { TaskAssignedBody, TaskCreateInput, TaskQuery, TaskRecord, TaskRef } from '../../shared/tasks.js';
import { FINAL_PHASES, TaskCreateInput as TaskCreateSchema } from '../../shared/tasks.js';
import { parseUnknown } from '../../shared/parse.js';
import type { Clock } from '../clock.js';
import type { TaskEvent } from './phase-machine.js';
import { advance } from './phase-machine.js';
import { readAssignedBody, readTaskMessage } from './task-messages.js';
import { adoptedTask, assignedBody, newTask } from './task-records.js';
import type { TaskStore } from './task-store.js';
import { TaskTimers } from './task-timers.js';

/** A message the service sends, as the requester. */
export interface TaskSend {
  from: string;
  to: DispatchTarget;
  repo: string;
  kind: 'task.assigned' | 'task.cancel' | 'decision.request';
  /** TaskAssignedBody, TaskCancelBody, or the validator's request ({ taskId, title, assignedTo, result }). */
  body: RoutedMessage['body'];
}

export interface TaskServiceOptions {
  store: TaskStore;
  clock: Clock;
  /** Where a task without a repo goes. */
  repo: () => string;
  /** Routes one message; resolves with who it went to, rejects with the router's typed error. */
  send(message: TaskSend): Promise<{ to?: string; messageId?: string }>;
  /** New or changed records, at most one call per tick. */
  onChanges(tasks: TaskRecord[]): void;
  /** A tracked task changed: the team's bucket should hold it (desktop: through the coordinator). */
  publish?(task: TaskRecord): void;
  log?(message: string): void;
}

/** Send errors that mean "nobody can take it yet": the task stays queued in init. */
const QUEUE_ERRORS = new Set(['NoAgentAvailable', 'WorkloadFull']);

export class TaskService {
  private readonly timers: TaskTimers;
  private readonly dispatching = new Set<string>();
  /** The `task.assigned` message of each task, so a receipt for it (over NATS) moves it to planning. */
  private readonly assignedMessages = new Map<string, { repo: string; id: string; to: string }>();
  private pending = new Map<string, TaskRecord>();
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;

  constructor(private readonly options: TaskServiceOptions) {
    this.timers = new TaskTimers(options.clock, (repo, id) => this.timeout(repo, id));
    for (const task of options.store.open()) this.timers.set(task);
  }

  /** Creates a task and sends its `task.assigned`; queued in init when nobody can take it yet. */
  async create(input: TaskCreateInput): Promise<TaskRecord> {
    const task = newTask(parseUnknown(TaskCreateSchema, input, 'task'), this.options.repo(), this.options.clock.now());
    this.options.store.put(task, true);
    try {
      await this.dispatch(task);
    } catch (error) {
      // Not a queueing matter (an unknown name, hybrid off for a remote one): no task is left behind.
      this.options.store.remove(task.repo, task.id);
      this.pending.delete(keyOf(task.repo, task.id));
      throw error;
    }
    this.timers.set(task);
    const stored = this.find(task.repo, task.id);
    this.changed(stored, true);
    return stored;
  }

  list(query: TaskQuery = {}): TaskRecord[] {
    return this.options.store.list(query);
  }

  get(ref: TaskRef): TaskRecord | null {
    return this.options.store.get(ref.repo ?? this.options.repo(), ref.id)?.task ?? null;
  }

  /** Fails the task as Cancelled and tells its assignee (`task.cancel`). */
  async cancel(ref: TaskRef): Promise<TaskRecord> {
    const repo = ref.repo ?? this.options.repo();
    const task = this.find(repo, ref.id);
    const next = advance(task, { type: 'cancelled', by: task.requestedBy }, this.options.clock.now());
    if (!next) return task;
    this.save(next);
    await this.tellCancel(next);
    return next;
  }

  /**
   * Sees one message the host's router handled: `accepted` from a local source, or
   * `delivered` to a local agent (from here or from NATS). Must not throw.
   */
  observe(message: RoutedMessage, stage: 'accepted' | 'delivered'): void {
    try {
      if (message.kind === 'task.assigned') this.observeAssigned(message, stage);
      else this.observeReply(message);
    } catch (error) {
      this.options.log?.(`task tracking failed for message ${message.id}: ${(error as Error).message}`);
    }
  }

  /** A receipt said the recipient's host received a message: a `task.assigned` of ours moves its task to planning. */
  observeReceipt(messageId: string): void {
    const sent = this.assignedMessages.get(messageId);
    if (!sent) return;
    this.assignedMessages.delete(messageId);
    this.apply(sent.repo, sent.id, { type: 'assigned', by: sent.to }, messageId);
  }

  /** Tasks waiting for an instance, for the spawn controller: per target, how many. */
  queued(): Map<DispatchTarget, number> {
    const counts = new Map<DispatchTarget, number>();
    for (const task of this.options.store.open()) {
      if (task.phase === 'init' && task.assignedTo === null) counts.set(task.target, (counts.get(task.target) ?? 0) + 1);
    }
    return counts;
  }

  /** Tries every queued task again (the registry changed: an instance may be free now). */
  retryQueued(): void {
    if (this.closed) return;
    for (const task of this.options.store.open()) {
      if (task.phase !== 'init' || task.assignedTo !== null) continue;
      this.dispatch(task).catch((error: unknown) => this.failOnSend(task, error));
    }
  }

  /** Hands over the changes gathered so far and stops the timers. */
  close(): void {
    this.closed = true;
    this.timers.clear();
    this.flush();
  }

  private observeAssigned(message: RoutedMessage, stage: 'accepted' | 'delivered'): void {
    const body = readAssignedBody(message);
    if (!body) return;
    const known = this.options.store.get(message.repo, body.taskId);
    if (!known) {
      // An agent (a supervisor) handed out work itself: its host follows the task too.
      if (stage === 'accepted') this.adopt(message, body);
      return;
    }
    if (!known.tracked) return;
    if (stage === 'accepted') {
      this.assignedMessages.set(message.id, { repo: message.repo, id: body.taskId, to: message.to });
      this.apply(message.repo, body.taskId, { type: 'dispatched', to: message.to }, message.id);
    } else {
      this.assignedMessages.delete(message.id);
      this.apply(message.repo, body.taskId, { type: 'assigned', by: message.to }, message.id);
    }
  }

  private observeReply(message: RoutedMessage): void {
    const read = readTaskMessage(message);
    if (!read) return;
    const known = this.options.store.get(message.repo, read.taskId);
    if (!known?.tracked) return;
    const next = this.apply(message.repo, read.taskId, read.event, message.id);
    if (next?.phase === 'validating' && next.constraints.validateBy !== undefined) {
      this.options
        .send({
          from: next.requestedBy,
          to: next.constraints.validateBy,
          repo: next.repo,
          kind: 'decision.request',
          body: { taskId: next.id, title: next.title, assignedTo: next.assignedTo, result: next.result },
        })
        .catch((error: unknown) => this.options.log?.(`the validator of task ${next.id} could not be asked: ${(error as Error).message}`));
    }
  }

  /** A task made by an agent's own `task.assigned` (TaskAssignedBody with an id nobody here knows). */
  private adopt(message: RoutedMessage, body: TaskAssignedBody): void {
    const task = adoptedTask(message, body, this.options.clock.now());
    this.save(task);
    this.assignedMessages.set(message.id, { repo: task.repo, id: task.id, to: message.to });
    this.timers.set(task);
  }

  /** Sends `task.assigned`; a role with no free instance leaves the task queued. */
  private async dispatch(task: TaskRecord): Promise<void> {
    const key = keyOf(task.repo, task.id);
    if (this.dispatching.has(key) || this.closed) return;
    this.dispatching.add(key);
    try {
      const sent = await this.options.send({ from: task.requestedBy, to: task.target, repo: task.repo, kind: 'task.assigned', body: assignedBody(task) });
      const to = sent.to ?? (isRoleTarget(task.target) ? undefined : task.target);
      if (to !== undefined) this.apply(task.repo, task.id, { type: 'dispatched', to });
    } catch (error) {
      if (!queues(error, task.target)) throw error;
    } finally {
      this.dispatching.delete(key);
    }
  }

  /** A queued task's retry failed for a reason no retry fixes: it fails with that error. */
  private failOnSend(task: TaskRecord, error: unknown): void {
    const current = this.options.store.get(task.repo, task.id)?.task;
    if (!current || FINAL_PHASES.has(current.phase)) return;
    const err = error as Error;
    const now = this.options.clock.now();
    this.save({ ...current, phase: 'failed', error: { name: err.name, message: err.message.slice(0, 8192) }, updatedAt: now, history: [...current.history, { phase: 'failed' as const, at: now, by: 'router' }].slice(-64) });
  }

  private timeout(repo: string, id: string): void {
    const task = this.options.store.get(repo, id)?.task;
    if (!task) return;
    const next = advance(task, { type: 'timeout' }, this.options.clock.now());
    if (!next) return;
    this.save(next);
    void this.tellCancel(next);
  }

  private async tellCancel(task: TaskRecord): Promise<void> {
    if (task.assignedTo === null) return;
    try {
      await this.options.send({ from: task.requestedBy, to: task.assignedTo, repo: task.repo, kind: 'task.cancel', body: { taskId: task.id } });
    } catch (error) {
      this.options.log?.(`task.cancel for ${task.id} could not be sent: ${(error as Error).message}`);
    }
  }

  private apply(repo: string, id: string, event: TaskEvent, messageId?: string): TaskRecord | undefined {
    const task = this.options.store.get(repo, id)?.task;
    if (!task) return undefined;
    const next = advance(task, event, this.options.clock.now());
    const noted = messageId !== undefined && !task.messageIds.includes(messageId);
    if (!next && !noted) return undefined;
    const base = next ?? task;
    const saved = noted ? { ...base, messageIds: [...base.messageIds, messageId].slice(-200) } : base;
    this.save(saved);
    return next;
  }

  private save(task: TaskRecord): void {
    const stored = this.options.store.put(task, true);
    if (FINAL_PHASES.has(stored.phase)) this.timers.delete(stored.repo, stored.id);
    this.changed(stored, true);
  }

  private find(repo: string, id: string): TaskRecord {
    const found = this.options.store.get(repo, id);
    if (!found) throw new TaskNotFound(`no task "${id}" in repo "${repo}"`);
    return found.task;
  }

  /** Gathers a change for this tick's event; a tracked one goes to the team's bucket too. */
  private changed(task: TaskRecord, tracked: boolean): void {
    this.pending.set(keyOf(task.repo, task.id), task);
    if (tracked) this.options.publish?.(task);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  /** A record from the team's bucket (another host's task): kept here, shown in lists. */
  mirrored(task: TaskRecord): void {
    const local = this.options.store.get(task.repo, task.id);
    // Our own copy is the truth for what we track; the bucket only echoes it.
    if (local?.tracked) return;
    this.changed(this.options.store.put(task, false), false);
  }

  private flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.pending.size === 0) return;
    const tasks = [...this.pending.values()];
    this.pending = new Map();
    try {
      this.options.onChanges(tasks);
    } catch (error) {
      this.options.log?.(`tasks.changed listener failed: ${(error as Error).message}`);
    }
  }
}

/**
 * True when a send error means "wait for an instance": no free one. A router that cannot
 * address roles yet (before dispatch, docs/routing.md) refuses a role as an unknown or
 * invalid name; that too leaves a role's task queued rather than failed.
 */
function queues(error: unknown, target: DispatchTarget): boolean {
  const name = (error as Error | undefined)?.name ?? '';
  return QUEUE_ERRORS.has(name) || ((name === 'NoSuchAgent' || name === 'ValidationError') && parseTarget(target).kind !== 'name');
}

function keyOf(repo: string, id: string): string {
  return `${repo}/${id}`;
}
