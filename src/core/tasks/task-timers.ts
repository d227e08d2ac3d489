/**
 * One timer per open task, firing at its deadline (createdAt + timeoutMs). Timers are
 * unref'd: a pending deadline never keeps a process alive.
 */
import type { TaskRecord } from '../../shared/tasks.js';
import type { Clock } from '../clock.js';

/** setTimeout's ceiling; a later deadline is re-armed when this one fires. */
const MAX_DELAY = 2_147_483_647;

export class TaskTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly clock: Clock,
    private readonly fire: (repo: string, id: string) => void,
  ) {}

  set(task: Pick<TaskRecord, 'repo' | 'id' | 'createdAt' | 'timeoutMs'>): void {
    this.delete(task.repo, task.id);
    const key = `${task.repo}/${task.id}`;
    const delay = task.createdAt + task.timeoutMs - this.clock.now();
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (delay > MAX_DELAY) this.set(task);
      else this.fire(task.repo, task.id);
    }, Math.max(0, Math.min(delay, MAX_DELAY)));
    timer.unref();
    this.timers.set(key, timer);
  }

  delete(repo: string, id: string): void {
    const key = `${repo}/${id}`;
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
