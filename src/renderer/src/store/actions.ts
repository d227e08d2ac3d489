/**
 * Module-level actions: the only code that writes the store.
 *
 * Contract events go through a {@link LiveBuffer} and reach the store at most once per
 * animation frame; user actions (navigation, filters, saving the config) write at once.
 */
import type { HybridConfigUpdate, HybridConfigView } from '../../../shared/config.js';
import type { SwitchyardApi } from '../../../shared/contract.js';
import type { AgentFilter } from '../model/agent-bands.js';
import type { TraceFilter } from '../model/trace-filter.js';
import { noteEndings } from '../model/ended-agents.js';
import { applyTraceBatch } from '../model/trace-list.js';
import { expireRouteWindow, foldRouteBatch } from '../model/route-window.js';
import { useAppStore } from './app-store.js';
import type { FrameScheduler } from './frame-batcher.js';
import { FrameBatcher, animationFrameScheduler } from './frame-batcher.js';
import { LiveBuffer, applyAgentBatch } from './live-buffer.js';
import { applyCodingBatch } from './coding-buffer.js';
import { codingBuffer, loadCodingState, subscribeCoding } from './coding-actions.js';
import { initNotifyPermission } from './web-notifications.js';
import { loadProblems, problemBuffer, subscribeProblems } from './problem-actions.js';
import { loadWorkState, subscribeWork, workBuffer } from './work-actions.js';
import { applyWorkBatch } from './work-buffer.js';
import type { AgentPanel, AgentTab, AppState, BridgeState, View } from './slices.js';
import { VIEWS } from './slices.js';

const buffer = new LiveBuffer();
let batcher = new FrameBatcher(flushLive, animationFrameScheduler);

/** The API in use, or null while the core is out of reach. */
let currentApi: SwitchyardApi | null = null;

/** How many traces a (re)connect loads, newest first, in pages of {@link TRACE_PAGE}. */
export const INITIAL_TRACE_ROWS = 10_000;
export const TRACE_PAGE = 1_000;

/** The API in use; throws a plain sentence while the core is out of reach. */
export function coreApi(): SwitchyardApi {
  if (!currentApi) throw new Error('not connected to the Switchyard core; try again when it is back');
  return currentApi;
}

/** Swaps the frame scheduler (tests drive frames by hand). */
export function setFrameScheduler(scheduler: FrameScheduler): void {
  batcher.cancel();
  batcher = new FrameBatcher(flushLive, scheduler);
}

/** Applies everything buffered since the last frame as one store update. */
export function flushLive(): void {
  if (buffer.isEmpty && codingBuffer.isEmpty && problemBuffer.isEmpty && workBuffer.isEmpty) return;
  const batch = buffer.take();
  const coding = codingBuffer.isEmpty ? null : codingBuffer.take();
  const problems = problemBuffer.take();
  const work = workBuffer.isEmpty ? null : workBuffer.take();
  useAppStore.setState((state) => {
    const touchesAgents = batch.snapshot !== null || batch.agentChanges.size > 0;
    const touchesTraces = batch.traceSnapshot !== null || batch.traceChanges.size > 0;
    return {
      ...(touchesTraces
        ? {
            traces: applyTraceBatch(state.traces, batch.traceSnapshot, batch.traceChanges),
            routeWindow: foldRouteBatch(state.routeWindow, batch.traceSnapshot, batch.traceChanges, Date.now()),
          }
        : {}),
      ...(touchesAgents ? agentsAfter(state, batch) : {}),
      ...(batch.snapshot !== null ? { agentsLoaded: true } : {}),
      ...(batch.revision !== null ? { agentsRevision: Math.max(state.agentsRevision ?? 0, batch.revision) } : {}),
      ...(batch.connection !== null ? { connection: batch.connection } : {}),
      ...(coding ? applyCodingBatch(state, coding) : {}),
      ...(problems ? { problems } : {}),
      ...(work ? applyWorkBatch(state, work) : {}),
    };
  });
}

/** The agents after a batch, and when those that ended in it ended. */
function agentsAfter(state: AppState, batch: Parameters<typeof applyAgentBatch>[1]): Pick<AppState, 'agents' | 'endedSince'> {
  const agents = applyAgentBatch(state.agents, batch);
  return { agents, endedSince: noteEndings(state.endedSince, state.agents, agents, Date.now()) };
}

/**
 * Wires an API into the store: subscribes to its events, then fetches the state they
 * change. Subscribing first means nothing falls between the fetch and the first event.
 *
 * @returns a function that unsubscribes.
 */
export async function attachApi(api: SwitchyardApi, transport: 'preload' | 'bridge'): Promise<() => void> {
  const unsubscribe = [
    api.onAgentsChanged((batch) => {
      buffer.pushAgentsChanged(batch);
      batcher.request();
    }),
    api.onConnectionChanged((state) => {
      buffer.pushConnection(state);
      batcher.request();
    }),
    api.onMessagesRouted((batch) => {
      buffer.pushTraces(batch.items);
      batcher.request();
    }),
    ...subscribeCoding(api, () => batcher.request(), (peer) => openAgent(peer, 'conversation')),
    ...subscribeProblems(api, () => batcher.request()),
    ...subscribeWork(api, () => batcher.request()),
  ];
  const detach = (): void => {
    for (const stop of unsubscribe) stop();
    if (currentApi === api) currentApi = null;
  };
  try {
    // Each answer enters the buffer as soon as it arrives, keeping the core's order
    // relative to the events around it.
    const [system, config] = await Promise.all([
      api.system.info(),
      api.config.get(),
      api.connection.get().then((state) => {
        buffer.pushConnection(state);
        batcher.request();
      }),
      api.agents.list().then((agents) => {
        buffer.pushSnapshot(agents);
        batcher.request();
      }),
    ]);
    currentApi = api;
    useAppStore.setState({ system, config, bridge: { status: 'ready', transport } });
    initNotifyPermission(transport);
    void loadTraces(api);
    loadCodingState(api, () => batcher.request());
    loadProblems(api, () => batcher.request());
    void loadWorkState(api, () => batcher.request());
    return detach;
  } catch (error) {
    detach();
    throw error;
  }
}

/**
 * Loads the newest traces after a (re)connect: the first page replaces what the buffer
 * held, further pages (older) merge in behind it, up to {@link INITIAL_TRACE_ROWS}.
 * Events keep arriving meanwhile; a page never undoes a newer event.
 */
async function loadTraces(api: SwitchyardApi): Promise<void> {
  useAppStore.setState({ tracesStatus: 'loading', tracesError: null });
  try {
    let page = await api.traces.query({ limit: TRACE_PAGE });
    buffer.pushTraceSnapshot(page.items);
    batcher.request();
    let loaded = page.items.length;
    useAppStore.setState({ tracesStatus: 'ready', tracesCursor: page.nextCursor });
    while (page.nextCursor !== null && loaded < INITIAL_TRACE_ROWS && currentApi === api) {
      page = await api.traces.query({ limit: TRACE_PAGE, cursor: page.nextCursor });
      buffer.pushTraces(page.items);
      batcher.request();
      loaded += page.items.length;
      useAppStore.setState({ tracesCursor: page.nextCursor });
    }
  } catch (error) {
    useAppStore.setState({ tracesStatus: 'error', tracesError: error instanceof Error ? error.message : String(error) });
  }
}

/** Loads one more page of older traces ("Load older"). */
export async function loadOlderTraces(): Promise<void> {
  const cursor = useAppStore.getState().tracesCursor;
  if (cursor === null) return;
  const page = await coreApi().traces.query({ limit: TRACE_PAGE, cursor });
  buffer.pushTraces(page.items);
  batcher.request();
  useAppStore.setState({ tracesCursor: page.nextCursor });
}

export function setBridgeState(bridge: BridgeState): void {
  useAppStore.setState({ bridge });
}

export type SaveOutcome = { ok: true; config: HybridConfigView } | { ok: false; error: unknown };

/** Sends a config update; the store keeps the core's answer. */
export async function saveConfig(update: HybridConfigUpdate): Promise<SaveOutcome> {
  const api = currentApi;
  if (!api) return { ok: false, error: new Error('not connected to the Switchyard core; try again when it is back') };
  useAppStore.setState({ configSaving: true });
  try {
    const config = await api.config.set(update);
    useAppStore.setState({ config, configSaving: false, configSavedAt: Date.now() });
    return { ok: true, config };
  } catch (error) {
    useAppStore.setState({ configSaving: false });
    return { ok: false, error };
  }
}

/** `#/settings` → 'settings'; anything else → null. */
export function viewFromHash(hash: string): View | null {
  const name = hash.replace(/^#\/?/, '');
  return (VIEWS as readonly string[]).includes(name) ? (name as View) : null;
}

/** Shows a view and records it in the URL's hash, so a reload returns to it. */
export function showView(view: View): void {
  useAppStore.setState({ view });
  const hash = `#/${view}`;
  if (typeof location !== 'undefined' && location.hash !== hash) {
    history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  }
}

/** Follows the hash: on start and when the user edits it or goes back. */
export function followHash(): () => void {
  const apply = (): void => {
    const view = viewFromHash(location.hash);
    if (view && view !== useAppStore.getState().view) useAppStore.setState({ view });
  };
  apply();
  window.addEventListener('hashchange', apply);
  return () => window.removeEventListener('hashchange', apply);
}

export function setAgentFilter(patch: Partial<AgentFilter>): void {
  useAppStore.setState((state) => ({ agentFilter: { ...state.agentFilter, ...patch } }));
}

/** Shows or folds away ended workers past their grace period (Agents and Routes alike). */
export function setShowEnded(showEnded: boolean): void {
  useAppStore.setState({ showEnded });
}

export function resetAgentFilter(filter: AgentFilter): void {
  useAppStore.setState({ agentFilter: filter });
}

export function setTraceFilter(patch: Partial<TraceFilter>): void {
  useAppStore.setState((state) => ({ traceFilter: { ...state.traceFilter, ...patch } }));
}

export function selectTrace(messageId: string | null): void {
  useAppStore.setState({ selectedTrace: messageId });
}

/** Opens a trace in the Traces view (from the Routes view's edge list). */
export function showTrace(messageId: string): void {
  useAppStore.setState({ selectedTrace: messageId });
  showView('traces');
}

/**
 * Lets the Routes view's window move while no message arrives (the view calls it
 * once a second while it is shown); no store update when nothing expired.
 */
export function expireRoutes(now = Date.now()): void {
  const current = useAppStore.getState().routeWindow;
  const next = expireRouteWindow(current, now);
  if (next !== current) useAppStore.setState({ routeWindow: next });
}

export function selectEdge(key: string | null): void {
  useAppStore.setState({ selectedEdge: key });
}

export function openAgentPanel(panel: AgentPanel): void {
  useAppStore.setState({ agentPanel: panel });
}

/** Shows an agent's own panel (conversation, worktrees, usage) in the Agents view. */
export function openAgent(name: string, tab: AgentTab): void {
  useAppStore.setState({ agentPanel: { kind: 'agent', name, tab } });
  showView('agents');
}

/** Records (or clears) the failure of a row action in the Agents view. */
export function setAgentActionError(error: AppState['agentActionError']): void {
  useAppStore.setState({ agentActionError: error });
}
