/**
 * Open tasks per agent, counted by the router (docs/routing.md, Dispatch and broadcast).
 *
 * An agent's own heartbeat says how loaded it is, but only after the fact: between two
 * heartbeats a burst of `task.assigned` would all pick the same "free" agent. So the
 * router counts what it routes itself. An open task is a `task.assigned` this router
 * routed to an agent, not yet answered by that agent's `task.completed` / `task.failed`
 * (matched on `taskId` in the body) nor cancelled (`task.cancel` to it). An agent
 * that terminates or leaves the registry drops its open tasks: they died with it.
 *
 * The count that limits an agent is the larger of this and the load it reports, against
 * its `load.max` (its manifest's `maxConcurrentTasks`; 0 means no limit).
 */
import type { AgentInfo, AgentLoad, RoutedMessage } from '../../shared/domain.js';

/** At most this many open tasks are remembered per agent, so a silent agent cannot grow the map. */
const MAX_OPEN_PER_AGENT = 10_000;

/** The kinds that close an open task when the assignee sends them. */
const CLOSING = new Set(['task.completed', 'task.failed']);

export class WorkloadLedger {
  /** `<repo>/<agent>` → open task ids. */
  private readonly open = new Map<string, Set<string>>();

  /** Sees a message the router accepted or delivered (routing-service feeds every one). */
  observe(message: Pick<RoutedMessage, 'repo' | 'from' | 'to' | 'kind' | 'body' | 'id'>): void {
    if (message.kind === 'task.assigned') {
      const key = keyOf(message.repo, message.to);
      let tasks = this.open.get(key);
      if (!tasks) this.open.set(key, (tasks = new Set()));
      if (tasks.size < MAX_OPEN_PER_AGENT) tasks.add(taskIdOf(message.body) ?? message.id);
      return;
    }
    if (CLOSING.has(message.kind)) this.close(message.repo, message.from, taskIdOf(message.body));
    else if (message.kind === 'task.cancel') this.close(message.repo, message.to, taskIdOf(message.body));
  }

  /** Open tasks of an agent. */
  count(repo: string, name: string): number {
    return this.open.get(keyOf(repo, name))?.size ?? 0;
  }

  /** The load that limits the agent: the larger of its report and our count. */
  load(agent: Pick<AgentInfo, 'repo' | 'name' | 'load'>): AgentLoad {
    return { current: Math.max(agent.load.current, this.count(agent.repo, agent.name)), max: agent.load.max };
  }

  /** Whether one more task would go over the agent's limit. */
  isFull(agent: Pick<AgentInfo, 'repo' | 'name' | 'load'>): boolean {
    const load = this.load(agent);
    return load.max > 0 && load.current >= load.max;
  }

  /** A task never reached the agent (a failover took it elsewhere). */
  release(repo: string, name: string, taskId: string): void {
    this.close(repo, name, taskId);
  }

  /** The agent is gone (terminated or removed): its open tasks went with it. */
  forget(repo: string, name: string): void {
    this.open.delete(keyOf(repo, name));
  }

  private close(repo: string, agent: string, taskId: string | undefined): void {
    if (taskId === undefined) return;
    const key = keyOf(repo, agent);
    const tasks = this.open.get(key);
    if (!tasks?.delete(taskId)) return;
    if (tasks.size === 0) this.open.delete(key);
  }
}

function keyOf(repo: string, name: string): string {
  return `${repo}/${name}`;
}

/** `taskId` of a task message's body, when it has one. */
export function taskIdOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const id = (body as { taskId?: unknown }).taskId;
  return typeof id === 'string' && id.length > 0 && id.length <= 128 ? id : undefined;
}
