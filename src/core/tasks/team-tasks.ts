/**
 * A desktop's side of the team's tasks bucket (docs/tasks.md, Team tasks): its own
 * tasks go to the bucket through the coordinator's `tasks.put` (which checks the desktop
 * owns their requester), and a watch of `<repo>.>` brings every task of the repo back
 * into the local store, so another member's tasks show in tasks.list.
 *
 * Puts wait while the link is down (the latest record per task, nothing more) and go out
 * when it is back; the watch restarts on every reconnect from the bucket's current values.
 */
import type { KvEntry, NatsConnection, QueuedIterator } from 'nats.ws';
import { TaskPutReply } from '../../shared/coordinator-protocol.js';
import { TASKS_BUCKET, subjects, taskRepoFilter } from '../../shared/nats-subjects.js';
import { NATS_JSON_LIMITS, parseJsonText } from '../../shared/json-limits.js';
import { TaskRecord } from '../../shared/tasks.js';
import { coordinatorRequest } from '../remote/index.js';

/** The link to the team, as the router knows it (src/core/router: RemoteTransport). */
export interface TeamLink {
  connection(): NatsConnection | undefined;
  onUp(listener: () => void): () => void;
  onDown(listener: () => void): () => void;
  natsUser?(): string | undefined;
}

export interface TeamTasksOptions {
  remote: TeamLink;
  repo: () => string;
  token: () => string | undefined;
  /** Only while hybrid mode is on does anything go to the team. */
  enabled: () => boolean;
  /** Our record as the team sees it (agent names under our NATS user's prefix). */
  toWire: (task: TaskRecord) => TaskRecord;
  onRecord: (task: TaskRecord) => void;
  log: (message: string) => void;
}

export class TeamTasks {
  private readonly waiting = new Map<string, TaskRecord>();
  private watcher: QueuedIterator<KvEntry> | undefined;
  private flushing = false;
  private closed = false;
  private readonly stops: Array<() => void> = [];

  constructor(private readonly options: TeamTasksOptions) {
    this.stops.push(options.remote.onUp(() => this.up()));
    this.stops.push(options.remote.onDown(() => this.stopWatch()));
    if (options.remote.connection()) this.up();
  }

  /** Puts a task into the team's bucket, now or once the link is up. */
  put(task: TaskRecord): void {
    if (this.closed || !this.options.enabled()) return;
    this.waiting.set(`${task.repo}/${task.id}`, task);
    void this.flush();
  }

  close(): void {
    this.closed = true;
    for (const stop of this.stops.splice(0)) stop();
    this.stopWatch();
  }

  private up(): void {
    void this.flush();
    const nc = this.options.remote.connection();
    if (nc && this.options.enabled()) void this.watch(nc);
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (;;) {
        const nc = this.options.remote.connection();
        const next = this.waiting.entries().next();
        if (!nc || next.done || this.closed) return;
        const [key, task] = next.value;
        this.waiting.delete(key);
        try {
          await coordinatorRequest(nc, subjects.taskPut(task.repo), this.options.toWire(task), this.options.token(), TaskPutReply);
        } catch (error) {
          const name = (error as Error).name;
          // A refusal (NotAllowed, ValidationError) will not change on retry; a lost request may.
          if (name === 'NotAllowed' || name === 'ValidationError') this.options.log(`task ${task.id} was not put to the team: ${(error as Error).message}`);
          else if (!this.waiting.has(key)) {
            this.waiting.set(key, task);
            return;
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async watch(nc: NatsConnection): Promise<void> {
    this.stopWatch();
    try {
      const kv = await nc.jetstream().views.kv(TASKS_BUCKET, { bindOnly: true });
      const watcher = await kv.watch({ key: taskRepoFilter(this.options.repo()) });
      if (this.closed) {
        watcher.stop();
        return;
      }
      this.watcher = watcher;
      for await (const entry of watcher) {
        if (entry.operation !== 'PUT') continue;
        const parsed = TaskRecord.safeParse(safeJson(entry.value));
        if (parsed.success) this.options.onRecord(parsed.data);
        else this.options.log(`ignored a malformed task in the team's bucket: ${entry.key}`);
      }
    } catch (error) {
      this.options.log(`the team's tasks could not be watched: ${(error as Error).message}`);
    }
  }

  private stopWatch(): void {
    this.watcher?.stop();
    this.watcher = undefined;
  }
}

function safeJson(data: Uint8Array): unknown {
  try {
    return parseJsonText(data, NATS_JSON_LIMITS, 'task');
  } catch {
    return undefined;
  }
}
