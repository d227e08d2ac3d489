import { beforeEach, describe, expect, it } from 'vitest';
import { resetAppStore, useAppStore } from '../../../src/renderer/src/store/app-store.js';
import { attachApi, setFrameScheduler } from '../../../src/renderer/src/store/actions.js';
import { manualFrames } from './fixtures.js';
import { entry, notYetBuilt, task, workCore } from './work-fixtures.js';

let frames: ReturnType<typeof manualFrames>;

beforeEach(() => {
  resetAppStore();
  frames = manualFrames();
  setFrameScheduler(frames);
});

/** Waits until the store says so, running frames as they are asked for. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) {
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    frames.frame();
  }
  expect(check()).toBe(true);
}

describe('work store', () => {
  it('loads every repo’s tasks and blackboard after a connect, the primary repo first in the list', async () => {
    const core = workCore({
      repos: [
        { repo: 'web', primary: true, agents: 2 },
        { repo: 'api', primary: false, agents: 1 },
      ],
      tasks: [task({ id: 't-1', repo: 'web' }), task({ id: 't-2', repo: 'api' })],
      entries: [entry({ key: 'shared/a', repo: 'api' })],
    });
    await attachApi(core.api, 'bridge');
    await until(() => useAppStore.getState().tasks.size === 2 && useAppStore.getState().contextEntries.size === 1);
    const state = useAppStore.getState();
    expect(state.repos.map((r) => r.repo)).toEqual(['web', 'api']);
    expect([...state.tasks.keys()].sort()).toEqual(['api/t-2', 'web/t-1']);
    expect(state.tasksLoad.phase).toBe('ready');
    expect(core.calls.filter((c) => c.call === 'tasks.list').map((c) => c.input)).toEqual([
      { repo: 'web', limit: 5000 },
      { repo: 'api', limit: 5000 },
    ]);
  });

  it('folds tasks.changed into one update per frame; an older record never undoes a newer one', async () => {
    const core = workCore({ tasks: [task({ id: 't-1', phase: 'planning', updatedAt: 2_000 })] });
    await attachApi(core.api, 'bridge');
    await until(() => useAppStore.getState().tasks.get('default/t-1')?.phase === 'planning');
    let updates = 0;
    const stop = useAppStore.subscribe(() => updates++);
    core.emit('tasks.changed', { upserts: [task({ id: 't-1', phase: 'executing', updatedAt: 3_000 })] });
    core.emit('tasks.changed', { upserts: [task({ id: 't-1', phase: 'complete', updatedAt: 4_000 })] });
    core.emit('tasks.changed', { upserts: [task({ id: 't-1', phase: 'executing', updatedAt: 3_500 })] });
    expect(useAppStore.getState().tasks.get('default/t-1')?.phase).toBe('planning');
    frames.frame();
    stop();
    expect(updates).toBe(1);
    expect(useAppStore.getState().tasks.get('default/t-1')?.phase).toBe('complete');
  });

  it('keeps a deleted key as a tombstone a late, older write cannot bring back', async () => {
    const core = workCore({ entries: [entry({ key: 'shared/a', revision: 3 })] });
    await attachApi(core.api, 'bridge');
    await until(() => useAppStore.getState().contextEntries.size === 1);
    core.emit('context.changed', { entries: [entry({ key: 'shared/a', revision: 5, value: null, operation: 'delete' })] });
    frames.frame();
    core.emit('context.changed', { entries: [entry({ key: 'shared/a', revision: 4, value: 'late' })] });
    frames.frame();
    const held = useAppStore.getState().contextEntries.get('default/shared/a');
    expect(held?.operation).toBe('delete');
    expect(held?.value).toBeNull();
  });

  it('a core that has not built tasks yet: the load fails with its typed error and the rest works on', async () => {
    const core = workCore();
    core.handle('repos.list', () => notYetBuilt('repos.list'));
    core.handle('tasks.list', () => notYetBuilt('tasks.list'));
    await attachApi(core.api, 'bridge');
    await until(() => useAppStore.getState().tasksLoad.phase === 'failed');
    const load = useAppStore.getState().tasksLoad;
    expect(load.phase === 'failed' ? load.error.name : '').toBe('NotYetBuilt');
    expect(useAppStore.getState().repos).toEqual([]);
    // Without repos.list, one call for the primary repo.
    expect(core.calls.filter((c) => c.call === 'tasks.list').map((c) => c.input)).toEqual([{ limit: 5000 }]);
    expect(useAppStore.getState().contextLoad.phase).toBe('ready');
    expect(useAppStore.getState().bridge.status).toBe('ready');
  });
});
