/**
 * Test fixtures for the renderer: agents, and a contract client over an in-memory
 * transport (the real client, so outputs and events are parsed as in the app).
 */
import type { HybridConfigView } from '../../../src/shared/config.js';
import type { ConnectionState } from '../../../src/shared/connection.js';
import type { ContractTransport } from '../../../src/shared/contract-client.js';
import { createContractClient } from '../../../src/shared/contract-client.js';
import type { CallName, EventName, Result, SwitchyardApi } from '../../../src/shared/contract.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
import type { ErrorPayload } from '../../../src/shared/errors.js';

export function agent(overrides: Partial<AgentInfo> & { name: string }): AgentInfo {
  return {
    type: 'worker',
    location: 'local',
    ownership: 'task',
    repo: 'demo',
    owner: 'ada',
    endpoint: '',
    instanceId: `${overrides.name}-1`,
    registeredAt: 1_000,
    lastHeartbeat: 1_000,
    status: 'active',
    capabilities: [],
    tags: {},
    load: { current: 0, max: 4 },
    metadata: {},
    revision: 1,
    ...overrides,
  };
}

export const CONFIG_VIEW: HybridConfigView = {
  enabled: false,
  coordinationUrl: '',
  repo: 'default',
  localAgentTypes: [],
  remoteAgentTypes: [],
  fallbackToLocal: false,
  allowInsecureTransport: false,
  apiTokenSet: false,
  apiTokenFromEnvironment: false,
};

export const LOCAL_ONLY: ConnectionState = { phase: 'disabled', server: '', lastError: null, since: 1_000 };

type Handler = (input: unknown) => unknown;

const NO_USAGE = { tasks: 0, failedTasks: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0, durationMs: 0 };
export const EMPTY_USAGE = { totals: NO_USAGE, byAgent: [], byRepo: [], byDay: [], recent: [] };

export interface FakeCore {
  api: SwitchyardApi;
  /** Every call made, in order. */
  calls: { call: CallName; input: unknown }[];
  emit(event: EventName, payload: unknown): void;
  handle(call: CallName, handler: Handler): void;
}

/** A core that answers from handlers; a handler that throws an ErrorPayload fails the call. */
export function fakeCore(initial: { config?: HybridConfigView; agents?: AgentInfo[]; connection?: ConnectionState } = {}): FakeCore {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: FakeCore['calls'] = [];
  const handlers = new Map<string, Handler>([
    ['system.info', () => ({ name: 'switchyard', version: '0.0.0-test', host: 'headless', platform: 'linux', startedAt: 1 })],
    ['config.get', () => initial.config ?? CONFIG_VIEW],
    ['connection.get', () => initial.connection ?? LOCAL_ONLY],
    ['agents.list', () => initial.agents ?? []],
    // A core without coding agents yet: nothing to approve, nothing spent.
    ['approvals.list', () => []],
    ['usage.summary', () => EMPTY_USAGE],
    ['autostart.get', () => ({ repo: (initial.config ?? CONFIG_VIEW).repo, types: [] })],
    // Nothing to say aloud.
    ['problems.list', () => []],
  ]);
  const transport: ContractTransport = {
    async invoke(call, input): Promise<Result<unknown>> {
      calls.push({ call, input });
      const handler = handlers.get(call);
      if (!handler) return { ok: false, error: { name: 'UnknownCall', message: call } };
      try {
        return { ok: true, value: await handler(input) };
      } catch (error) {
        return { ok: false, error: error as ErrorPayload };
      }
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  return {
    api: createContractClient(transport),
    calls,
    emit: (event, payload) => {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    handle: (call, handler) => handlers.set(call, handler),
  };
}

/** A frame scheduler driven by hand: `frame()` runs what was scheduled. */
export function manualFrames(): { schedule(cb: () => void): number; cancel(handle: number): void; frame(): void; waiting: number } {
  let next = 1;
  const callbacks = new Map<number, () => void>();
  return {
    schedule(cb) {
      const handle = next++;
      callbacks.set(handle, cb);
      return handle;
    },
    cancel(handle) {
      callbacks.delete(handle);
    },
    frame() {
      const due = [...callbacks.values()];
      callbacks.clear();
      for (const cb of due) cb();
    },
    get waiting() {
      return callbacks.size;
    },
  };
}
