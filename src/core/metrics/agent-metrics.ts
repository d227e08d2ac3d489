/**
 * Per-agent statistics (issue 15, docs/tasks.md): what the agents' own messages and the
 * registry say, kept in SQLite (agent-metrics-store.ts) and answered by `agents.metrics`.
 *
 * - Tasks: every `task.completed` / `task.failed` an agent sends, seen where the router
 *   accepts or delivers it, counted once by message id. Duration is the body's
 *   `durationMs`, else the time since the same agent's `task.started` of that task;
 *   tokens and cost are the body's `usage` when it has one.
 * - Uptime: an agent is up while its supervision state is `running` (a supervised local
 *   agent) or, for any other, while its status is active, idle or busy; each change
 *   opens or closes an interval.
 * - Restarts: the supervisor's automatic restarts (the count in `metadata.supervision`
 *   rising).
 */
import type { AgentInfo, RoutedMessage } from '../../shared/domain.js';
import { Supervision } from '../../shared/agent-protocol.js';
import { Usage } from '../../shared/coding.js';
import { NoSuchAgent } from '../../shared/errors.js';
import type { AgentMetrics, AgentMetricsInput } from '../../shared/work-model.js';
import { WINDOW_MS } from '../../shared/work-model.js';
import type { AgentsChanged } from '../../shared/contract.js';
import type { Clock } from '../clock.js';
import type { AgentMetricsStore, TaskRecord } from './agent-metrics-store.js';

const LIVE = new Set(['active', 'idle', 'busy']);
const MAX_STARTED = 10_000;

interface Seen {
  location: AgentInfo['location'];
  status: AgentInfo['status'];
  up: boolean;
  restarts: number | undefined;
  /** A supervised agent of this machine (its state is reported, so per-agent series are bounded). */
  supervised: boolean;
}

/** What the Prometheus side hears of (desktop-metrics.ts). */
export interface AgentMetricsListener {
  task(record: TaskRecord): void;
  restart(repo: string, agent: string, count: number): void;
}

export class AgentMetricsRecorder {
  private readonly seen = new Map<string, Seen>();
  /** `task.started` times by repo/agent/task, for a duration the finished message does not state. */
  private readonly started = new Map<string, number>();

  constructor(
    private readonly store: AgentMetricsStore,
    private readonly clock: Clock,
    private readonly listener?: AgentMetricsListener,
  ) {}

  /** Takes the registry as it is at start: intervals a crash left open end, agents up now start one. */
  begin(agents: readonly AgentInfo[]): void {
    this.store.closeDangling();
    this.store.prune(this.clock.now());
    this.agentsChanged({ revision: 0, upserts: [...agents], removals: [] });
  }

  /** One batch of the registry's change feed, written in one transaction. */
  agentsChanged(batch: AgentsChanged): void {
    const now = this.clock.now();
    this.store.batch(() => {
      for (const info of batch.upserts) this.upsert(info, now);
      for (const ref of batch.removals) {
        const key = keyOf(ref.repo, ref.name);
        if (this.seen.get(key)?.up) this.store.down(ref.repo, ref.name, now);
        this.seen.delete(key);
      }
    });
  }

  private upsert(info: AgentInfo, now: number): void {
    const key = keyOf(info.repo, info.name);
    const before = this.seen.get(key);
    const supervision = Supervision.safeParse(info.metadata.supervision).data;
    const up = supervision ? supervision.state === 'running' : LIVE.has(info.status);
    if (up && !before?.up) this.store.up(info.repo, info.name, now);
    if (!up && before?.up) this.store.down(info.repo, info.name, now);
    const restarts = supervision?.restarts;
    // The count starts again at 0 on a manual start: only a rise is a restart.
    if (restarts !== undefined && before?.restarts !== undefined && restarts > before.restarts) {
      for (let i = before.restarts; i < restarts; i++) this.store.restart(info.repo, info.name, now);
      this.listener?.restart(info.repo, info.name, restarts - before.restarts);
    }
    this.seen.set(key, { location: info.location, status: info.status, up, restarts, supervised: supervision !== undefined });
  }

  /** A message the router accepted or delivered; the same message may come twice. */
  message(message: RoutedMessage): void {
    if (message.kind === 'task.started') {
      const taskId = taskIdOf(message.body);
      if (taskId === undefined) return;
      if (this.started.size >= MAX_STARTED) this.started.delete(this.started.keys().next().value!);
      this.started.set(`${keyOf(message.repo, message.from)}/${taskId}`, message.timestamp);
      return;
    }
    if (message.kind !== 'task.completed' && message.kind !== 'task.failed') return;
    const record = this.taskRecord(message);
    if (this.store.recordTask(record)) this.listener?.task(record);
  }

  private taskRecord(message: RoutedMessage): TaskRecord {
    const body = (typeof message.body === 'object' && message.body !== null ? message.body : {}) as Record<string, unknown>;
    const usage = Usage.safeParse(body.usage).data;
    return {
      messageId: message.id,
      repo: message.repo,
      agent: message.from,
      at: message.timestamp,
      outcome: message.kind === 'task.completed' ? 'completed' : 'failed',
      durationMs: statedDuration(body) ?? this.sinceStarted(message, taskIdOf(body)) ?? null,
      inputTokens: usage?.inputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      costUsd: usage?.costUsd ?? 0,
    };
  }

  /** The time since the agent's `task.started` of this task, which is then forgotten. */
  private sinceStarted(message: RoutedMessage, taskId: string | undefined): number | undefined {
    if (taskId === undefined) return undefined;
    const key = `${keyOf(message.repo, message.from)}/${taskId}`;
    const startedAt = this.started.get(key);
    this.started.delete(key);
    return startedAt !== undefined && message.timestamp >= startedAt ? message.timestamp - startedAt : undefined;
  }

  /** Agents by location and status, as the registry holds them now. */
  statusCounts(): Map<string, { location: string; status: string; count: number }> {
    const counts = new Map<string, { location: string; status: string; count: number }>();
    for (const { location, status } of this.seen.values()) {
      const key = `${location}/${status}`;
      const entry = counts.get(key) ?? { location, status, count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
    return counts;
  }

  /** The supervised agents of this machine (bounded: the per-agent series are theirs). */
  supervised(): Array<{ repo: string; agent: string }> {
    const list: Array<{ repo: string; agent: string }> = [];
    for (const [key, seen] of this.seen) {
      if (!seen.supervised) continue;
      const [repo, agent] = splitKey(key);
      list.push({ repo, agent });
    }
    return list;
  }

  /**
   * `agents.metrics`: one agent over a window. NoSuchAgent when neither the registry nor
   * the records know it.
   */
  metrics(input: Required<Pick<AgentMetricsInput, 'name' | 'window'>> & { repo: string }, inRegistry: boolean): AgentMetrics {
    const { name, repo, window } = input;
    if (!inRegistry && !this.store.knows(repo, name)) throw new NoSuchAgent(repo, name);
    const now = this.clock.now();
    const span = WINDOW_MS[window];
    const since = now - span;
    const summary = this.store.summary(repo, name, since, now);
    return {
      name,
      repo,
      window,
      since,
      tasksCompleted: summary.tasksCompleted,
      tasksFailed: summary.tasksFailed,
      avgDurationMs: summary.avgDurationMs,
      inputTokens: summary.inputTokens,
      outputTokens: summary.outputTokens,
      costUsd: summary.costUsd,
      uptimePct: Math.min(100, Math.round((summary.upMs / span) * 100 * 1000) / 1000),
      restarts: summary.restarts,
    };
  }

  /** Keeps open intervals' last-seen time fresh and drops what is past 7 days. */
  tick(): void {
    const now = this.clock.now();
    this.store.checkpoint(now);
    this.store.prune(now);
  }

  close(): void {
    this.store.closeAll(this.clock.now());
  }
}

function keyOf(repo: string, name: string): string {
  return `${repo}\u0000${name}`;
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf('\u0000');
  return [key.slice(0, at), key.slice(at + 1)];
}

function statedDuration(body: Record<string, unknown>): number | undefined {
  const value = body.durationMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

function taskIdOf(body: unknown): string | undefined {
  const id = typeof body === 'object' && body !== null ? (body as { taskId?: unknown }).taskId : undefined;
  return typeof id === 'string' && id.length > 0 && id.length <= 256 ? id : undefined;
}
