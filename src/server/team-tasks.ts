/**
 * The tasks the coordinator's own agents request (a supervisor's `task.assigned` naming
 * a task id): the same task service and phase machine as a desktop's, over the repo's
 * private database, writing every change to the team's tasks bucket (docs/tasks.md).
 */
import type { Database } from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import type { SendRequest } from '../core/router/index.js';
import { TaskService, TaskStore } from '../core/tasks/index.js';
import type { Logger } from './log.js';
import type { TaskBucket } from './task-bucket.js';

export interface TeamTaskOptions {
  repo: string;
  db: Database;
  clock: Clock;
  bucket: TaskBucket;
  log: Logger;
  /** Publishes a message as one of the coordinator's agents. */
  send(from: string, request: SendRequest): Promise<{ to: string }>;
}

export function teamTaskService(options: TeamTaskOptions): TaskService {
  const { repo, bucket, log } = options;
  return new TaskService({
    store: new TaskStore(options.db),
    clock: options.clock,
    repo: () => repo,
    send: ({ from, to, kind, body }) => options.send(from, { to, kind, body }),
    onChanges: () => undefined,
    publish: (task) => {
      bucket.put(task).catch((error: unknown) => log.warn('could not write a task to the tasks bucket', { repo, task: task.id, error: String(error) }));
    },
    log: (message) => log.warn(message, { repo }),
  });
}
