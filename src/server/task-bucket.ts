/**
 * The team's tasks in JetStream KV (`sy-tasks`, key `<repo>.<taskId>`, docs/tasks.md):
 * the coordinator writes its own agents' tasks and the tasks desktops put through the
 * `tasks.put` request, after checking the caller owns the requester.
 *
 * Ownership is the registry's: a member owns a requester registered under its user (its
 * person `user` or its agents, on the wire as `<user>.<name>`), or any name in its own
 * `<user>.` prefix; admins may put any task. A record already in the bucket is replaced
 * only by whoever owns its requester, so no member can rewrite another's task.
 */
import { ensureKvBucket } from '../core/remote/index.js';
import type { ReplicaOptions } from '../core/remote/index.js';
import type { KV, NatsConnection } from 'nats.ws';
import { NotAllowed } from '../shared/errors.js';
import { NATS_JSON_LIMITS, parseJsonText } from '../shared/json-limits.js';
import { TASKS_BUCKET, taskKey } from '../shared/nats-subjects.js';
import type { TaskRecord } from '../shared/tasks.js';
import { TaskRecord as TaskRecordSchema } from '../shared/tasks.js';
import type { Identity } from './identities.js';

const encoder = new TextEncoder();

/** Who owns an agent name of a repo, by the team registry. */
export type OwnerOf = (repo: string, name: string) => string | undefined;

/** Throws NotAllowed unless the identity may write a task requested by `requestedBy`. */
export function assertOwnsRequester(identity: Identity, repo: string, requestedBy: string, ownerOf: OwnerOf): void {
  if (identity.role === 'admin') return;
  if (requestedBy.startsWith(`${identity.user}.`)) return;
  if (ownerOf(repo, requestedBy) === identity.user) return;
  throw new NotAllowed(`task requester "${requestedBy}" is not an agent of user "${identity.user}"`);
}

export class TaskBucket {
  private constructor(readonly kv: KV) {}

  /** Created like every bucket of ours, with the cluster's replicas (src/core/remote/jetstream-store.ts). */
  static async open(nc: NatsConnection, options: ReplicaOptions = {}, history = 1): Promise<TaskBucket> {
    return new TaskBucket(await ensureKvBucket(nc, TASKS_BUCKET, { history }, options));
  }

  /** A desktop's put: the caller must own the task's requester, and the requester of the record it replaces. */
  async putFor(identity: Identity, repo: string, task: TaskRecord, ownerOf: OwnerOf): Promise<number> {
    if (task.repo !== repo) throw new NotAllowed(`the task is of repo "${task.repo}", the subject's is "${repo}"`);
    assertOwnsRequester(identity, repo, task.requestedBy, ownerOf);
    const existing = await this.get(repo, task.id);
    if (existing && existing.requestedBy !== task.requestedBy) assertOwnsRequester(identity, repo, existing.requestedBy, ownerOf);
    return this.put(task);
  }

  /** Writes a task as is (the coordinator's own agents' tasks). */
  put(task: TaskRecord): Promise<number> {
    return this.kv.put(taskKey(task.repo, task.id), encoder.encode(JSON.stringify(task)));
  }

  async get(repo: string, id: string): Promise<TaskRecord | undefined> {
    const entry = await this.kv.get(taskKey(repo, id));
    if (!entry || entry.operation !== 'PUT') return undefined;
    const parsed = TaskRecordSchema.safeParse(parseJsonText(entry.value, NATS_JSON_LIMITS, 'task'));
    return parsed.success ? parsed.data : undefined;
  }
}
