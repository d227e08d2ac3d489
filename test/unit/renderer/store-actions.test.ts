// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useAppStore, resetAppStore } from '../../../src/renderer/src/store/app-store.js';
import { attachApi, saveConfig, setFrameScheduler, showView, viewFromHash } from '../../../src/renderer/src/store/actions.js';
import { CONFIG_VIEW, agent, fakeCore, manualFrames } from './fixtures.js';

let frames: ReturnType<typeof manualFrames>;
let updates: number;
let unsubscribe: () => void;

beforeEach(() => {
  resetAppStore();
  frames = manualFrames();
  setFrameScheduler(frames);
  updates = 0;
  unsubscribe = useAppStore.subscribe(() => updates++);
});

afterEach(() => unsubscribe());

describe('attachApi', () => {
  it('loads config, system and connection, and the agents snapshot on the next frame', async () => {
    const core = fakeCore({ agents: [agent({ name: 'a' }), agent({ name: 'b', repo: 'other' })] });
    await attachApi(core.api, 'bridge');
    const state = useAppStore.getState();
    expect(state.bridge).toEqual({ status: 'ready', transport: 'bridge' });
    expect(state.config).toEqual(CONFIG_VIEW);
    expect(state.system?.version).toBe('0.0.0-test');
    expect(state.agentsLoaded).toBe(false);
    frames.frame();
    expect(useAppStore.getState().agentsLoaded).toBe(true);
    expect([...useAppStore.getState().agents.keys()].sort()).toEqual(['demo/a', 'other/b']);
    expect(useAppStore.getState().connection?.phase).toBe('disabled');
  });

  it('turns a burst of events into one store update per frame', async () => {
    const core = fakeCore();
    await attachApi(core.api, 'bridge');
    frames.frame();
    updates = 0;
    for (let i = 0; i < 200; i++) {
      core.emit('agents.changed', { revision: i + 1, upserts: [agent({ name: `w${i % 20}`, revision: i + 1 })], removals: [] });
      if (i % 50 === 0) core.emit('connection.changed', { phase: 'connecting', server: 'ws://n:1', lastError: null, since: i });
    }
    expect(updates).toBe(0);
    frames.frame();
    expect(updates).toBe(1);
    const state = useAppStore.getState();
    expect(state.agents.size).toBe(20);
    expect(state.agentsRevision).toBe(200);
    expect(state.connection?.phase).toBe('connecting');
    frames.frame();
    expect(updates).toBe(1);
  });

  it('replaces the agents Map on each update', async () => {
    const core = fakeCore({ agents: [agent({ name: 'a' })] });
    await attachApi(core.api, 'bridge');
    frames.frame();
    const before = useAppStore.getState().agents;
    core.emit('agents.changed', { revision: 2, upserts: [agent({ name: 'b' })], removals: [] });
    frames.frame();
    const after = useAppStore.getState().agents;
    expect(after).not.toBe(before);
    expect(before.size).toBe(1);
    expect(after.get('demo/a')).toBe(before.get('demo/a'));
  });

  it('drops event payloads that fail the contract schema', async () => {
    const core = fakeCore();
    await attachApi(core.api, 'bridge');
    frames.frame();
    updates = 0;
    core.emit('agents.changed', { revision: -1, upserts: 'nope', removals: [] });
    frames.frame();
    expect(updates).toBe(0);
  });

  it('stops listening when detached', async () => {
    const core = fakeCore();
    const detach = await attachApi(core.api, 'bridge');
    frames.frame();
    detach();
    core.emit('agents.changed', { revision: 1, upserts: [agent({ name: 'late' })], removals: [] });
    frames.frame();
    expect(useAppStore.getState().agents.size).toBe(0);
  });
});

describe('saveConfig', () => {
  it('stores the view the core returns', async () => {
    const core = fakeCore();
    core.handle('config.set', (input) => ({ ...(input as { config: object }).config, apiTokenSet: true }));
    await attachApi(core.api, 'bridge');
    const outcome = await saveConfig({ config: { ...CONFIG_VIEW, repo: 'web' }, apiToken: 't' });
    expect(outcome.ok).toBe(true);
    expect(useAppStore.getState().config).toMatchObject({ repo: 'web', apiTokenSet: true });
    expect(useAppStore.getState().configSaving).toBe(false);
  });
});

describe('views and the hash', () => {
  it('reads the view from the hash', () => {
    expect(viewFromHash('#/settings')).toBe('settings');
    expect(viewFromHash('#traces')).toBe('traces');
    expect(viewFromHash('#/nowhere')).toBeNull();
    expect(viewFromHash('')).toBeNull();
  });

  it('showView records the view in the hash and keeps the query', () => {
    history.replaceState(null, '', '/?token=abc');
    showView('routes');
    expect(useAppStore.getState().view).toBe('routes');
    expect(location.search).toBe('?token=abc');
    expect(location.hash).toBe('#/routes');
  });
});
