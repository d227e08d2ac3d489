/**
 * Tasks and spawn rules composed for a desktop core: the task service over the core's
 * database and router, the team's tasks bucket (put through the coordinator, mirrored
 * by watch), and the spawn controller over the local agents. core.ts spreads `handlers`.
 */
import type { Database } from 'better-sqlite3';
import type { AgentStatus } from '../../shared/domain.js';
import type { TraceSummary } from '../../shared/routing-contract.js';
import type { TaskRecord } from '../../shared/tasks.js';
import type { Clock } from '../clock.js';
import type { Handlers } from '../dispatch.js';
import type { LocalAgents } from '../agents/index.js';
import type { AgentRegistry } from '../registry/index.js';
import type { Routing } from '../router/index.js';
import { SpawnController } from './spawn-controller.js';
import { SpawnRuleStore } from './spawn-rule-store.js';
import { TaskService } from './task-service.js';
import { TaskStore } from './task-store.js';
import type { TeamLink } from './team-tasks.js';
import { TeamTasks } from './team-tasks.js';
import { wireName } from '../../shared/wire-names.js';

export type TaskCallName = 'tasks.create' | 'tasks.list' | 'tasks.get' | 'tasks.cancel' | 'spawnRules.get' | 'spawnRules.set' | 'agents.spawn';

export interface DesktopTasksOptions {
  db: Database;
  clock: Clock;
  repo: () => string;
  registry: AgentRegistry;
  localAgents: LocalAgents;
  /** Tasks go through the router like any message; its message watch shows their answers; spawns are traced with it. */
  routing: Routing;
  remote: TeamLink;
  hybridEnabled: () => boolean;
  token: () => string | undefined;
  emit: (tasks: TaskRecord[]) => void;
}

export interface DesktopTasks {
  service: TaskService;
  spawnController: SpawnController;
  handlers: Pick<Handlers, TaskCallName>;
  /** Receipts and traces of the router: a `task.assigned` received over NATS moves its task to planning. */
  tracesRouted(items: readonly TraceSummary[]): void;
  close(): void;
}

/** Statuses that count as running for a rule's max: stopped and crashed agents do not. */
const RUNNING: AgentStatus[] = ['active', 'idle', 'busy', 'unreachable'];
const RECEIVED = new Set(['received', 'delivered', 'answered']);

export function createDesktopTasks(options: DesktopTasksOptions): DesktopTasks {
  const { clock, registry, localAgents, routing } = options;
  const store = new TaskStore(options.db);
  const rules = new SpawnRuleStore(options.db);
  // Our agents go on the wire under our NATS user's prefix (src/shared/wire-names.ts).
  const onWire = (repo: string, name: string | null): string | null => {
    if (name === null) return null;
    const local = registry.get({ repo, name })?.location === 'local';
    return local ? wireName(options.remote.natsUser?.(), name) : name;
  };
  const team = new TeamTasks({
    remote: options.remote,
    repo: options.repo,
    token: options.token,
    enabled: options.hybridEnabled,
    toWire: (task) => ({ ...task, requestedBy: onWire(task.repo, task.requestedBy) ?? task.requestedBy, assignedTo: onWire(task.repo, task.assignedTo) }),
    onRecord: (task) => service.mirrored(task),
    log: (message) => console.warn(`[switchyard] tasks: ${message}`),
  });
  const service: TaskService = new TaskService({
    store,
    clock,
    repo: options.repo,
    send: async ({ from, to, repo, kind, body }) => routing.handlers['messages.send']({ from, to, repo, kind, body }),
    onChanges: (tasks) => {
      options.emit(tasks);
      schedule();
    },
    publish: (task) => team.put(task),
    log: (message) => console.warn(`[switchyard] tasks: ${message}`),
  });
  const running = (type: string): number =>
    registry.discover({ repo: options.repo(), type, location: 'local', status: RUNNING }).length;
  const spawnController = new SpawnController({
    rules: () => rules.get(),
    queued: (type) => service.queued().get(`type:${type}`) ?? 0,
    running,
    spawn: async (type) => (await localAgents.start(type)).name,
    repo: options.repo,
    clock,
    traces: routing.traces,
    log: (message) => console.warn(`[switchyard] spawn rules: ${message}`),
  });

  // One pass per tick however many changes came: retry the queue, then the rules.
  // Nothing once closed: the service's close hands over its last changes, and a pass
  // scheduled by them would run after the core closed the database.
  let scheduled: NodeJS.Immediate | undefined;
  let closed = false;
  function schedule(): void {
    if (closed) return;
    scheduled ??= setImmediate(() => {
      scheduled = undefined;
      service.retryQueued();
      void spawnController.evaluate();
    });
  }
  const stopMessages = routing.onMessage((message, stage) => service.observe(message, stage));
  const stopRegistry = registry.onChange(() => schedule());

  return {
    service,
    spawnController,
    handlers: {
      'tasks.create': (input) => service.create(input),
      'tasks.list': (query) => service.list(query ?? {}),
      'tasks.get': (ref) => service.get(ref),
      'tasks.cancel': (ref) => service.cancel(ref),
      'spawnRules.get': () => rules.get(),
      'spawnRules.set': (input) => {
        const saved = rules.set(input, clock.now());
        schedule();
        return saved;
      },
      // A spawn rule's max holds for explicit spawns too (SpawnLimitError).
      'agents.spawn': (input) => {
        spawnController.assertMaySpawn(input.type ?? 'worker');
        return routing.handlers['agents.spawn'](input);
      },
    },
    tracesRouted(items) {
      for (const item of items) if (RECEIVED.has(item.status)) service.observeReceipt(item.messageId);
    },
    close() {
      closed = true;
      if (scheduled) clearImmediate(scheduled);
      stopMessages();
      stopRegistry();
      spawnController.close();
      team.close();
      service.close();
    },
  };
}
