/**
 * The store's work-model actions: `tasks.changed` and `context.changed` go through
 * {@link workBuffer} and land with the rest of the live data once a frame; after a
 * (re)connect the repos, the tasks and the blackboard of each repo are loaded. A core
 * that refuses a call (NotYetBuilt, no hybrid link…) leaves that view with the error
 * said plainly and the rest of the app working. The person's own writes (a created or
 * cancelled task, a set key) land at once.
 */
import type { ContextEntry } from '../../../shared/blackboard.js';
import { ContractCallError } from '../../../shared/contract-client.js';
import type { SwitchyardApi } from '../../../shared/contract.js';
import type { TaskRecord } from '../../../shared/tasks.js';
import { applyContextEntries } from '../model/context-entries.js';
import { applyTaskUpserts } from '../model/task-board.js';
import { useAppStore } from './app-store.js';
import type { LoadState } from './slices.js';
import { WorkBuffer } from './work-buffer.js';

export const workBuffer = new WorkBuffer();

/** The most tasks one repo's first load asks for. */
export const TASK_LOAD_LIMIT = 5_000;

export function subscribeWork(api: SwitchyardApi, request: () => void): (() => void)[] {
  return [
    api.onTasksChanged(({ upserts }) => {
      workBuffer.pushTasks(upserts);
      request();
    }),
    api.onContextChanged(({ entries }) => {
      workBuffer.pushEntries(entries);
      request();
    }),
  ];
}

function failed(error: unknown): LoadState {
  if (error instanceof ContractCallError) return { phase: 'failed', error: { name: error.name, message: error.message, issues: error.issues } };
  return { phase: 'failed', error: { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error), issues: [] } };
}

/**
 * After a (re)connect: the repos, then every repo's tasks and blackboard. The answers
 * replace what the window held (it may have missed deletes while away) except what
 * changed since the load began; events that arrive meanwhile merge with them (newer
 * task, higher revision wins), so none is lost.
 */
export async function loadWorkState(api: SwitchyardApi, request: () => void): Promise<void> {
  const started = Date.now();
  useAppStore.setState({ tasksLoad: { phase: 'loading' }, contextLoad: { phase: 'loading' } });
  const repos = await api.repos.list().catch((error: unknown) => {
    console.warn('switchyard: repos.list failed:', error);
    return [];
  });
  useAppStore.setState({ repos });
  // Without the list, one call without a repo: the core's primary repo.
  const targets: (string | undefined)[] = repos.length > 0 ? repos.map((r) => r.repo) : [undefined];
  await Promise.all([
    Promise.all(targets.map((repo) => api.tasks.list({ ...(repo ? { repo } : {}), limit: TASK_LOAD_LIMIT }))).then(
      (lists) => {
        workBuffer.pushTaskSnapshot({ since: started, items: lists.flat() });
        request();
        useAppStore.setState({ tasksLoad: { phase: 'ready' } });
      },
      (error: unknown) => useAppStore.setState({ tasksLoad: failed(error) }),
    ),
    Promise.all(targets.map((repo) => api.context.list(repo ? { repo } : {}))).then(
      (lists) => {
        workBuffer.pushEntrySnapshot({ since: started, items: lists.flat() });
        request();
        useAppStore.setState({ contextLoad: { phase: 'ready' } });
      },
      (error: unknown) => useAppStore.setState({ contextLoad: failed(error) }),
    ),
  ]);
}

/** A task the person created or cancelled, shown at once (its `tasks.changed` follows and agrees). */
export function recordTask(task: TaskRecord): void {
  useAppStore.setState((state) => ({ tasks: applyTaskUpserts(state.tasks, [task]) }));
}

/** An entry the person wrote or deleted, shown at once. */
export function recordContextEntry(entry: ContextEntry): void {
  useAppStore.setState((state) => ({ contextEntries: applyContextEntries(state.contextEntries, [entry]) }));
}

/** Which repo the Agents, Tasks and Context views show; null: every repo. */
export function chooseRepo(repo: string | null): void {
  useAppStore.setState({ repoChoice: repo });
}

export function setTaskAgentFilter(agent: string): void {
  useAppStore.setState({ taskAgentFilter: agent });
}

export function selectTask(key: string | null): void {
  useAppStore.setState({ selectedTask: key });
}

export function selectContextKey(key: string | null): void {
  useAppStore.setState({ selectedContextKey: key });
}
