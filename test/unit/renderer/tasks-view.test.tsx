// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Shell } from '../../../src/renderer/src/shell/shell.js';
import { resetAppStore, useAppStore } from '../../../src/renderer/src/store/app-store.js';
import { attachApi, setFrameScheduler, showView } from '../../../src/renderer/src/store/actions.js';
import type { TaskRecord } from '../../../src/shared/tasks.js';
import type { RepoView } from '../../../src/shared/work-contract.js';
import { agent, manualFrames } from './fixtures.js';
import { notYetBuilt, task, workCore } from './work-fixtures.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let frames: ReturnType<typeof manualFrames>;

beforeEach(() => {
  resetAppStore();
  frames = manualFrames();
  setFrameScheduler(frames);
});

afterEach(() => cleanup());

async function showTasks(tasks: TaskRecord[], repos?: RepoView[]): Promise<ReturnType<typeof workCore>> {
  const core = workCore({ tasks, ...(repos ? { repos } : {}) });
  await attachApi(core.api, 'bridge');
  await waitFor(() => expect(useAppStore.getState().tasksLoad.phase).not.toBe('loading'));
  await act(async () => {
    await Promise.resolve();
    frames.frame();
  });
  showView('tasks');
  render(<Shell />);
  return core;
}

function column(phase: string): HTMLElement {
  return screen.getByTestId(`task-column-${phase}`);
}

function cardsIn(phase: string): string[] {
  return within(column(phase)).queryAllByTestId('task-card').map((card) => card.dataset.task ?? '');
}

describe('Tasks view', () => {
  it('is in the navigation and shows a board by phase, newest change first', async () => {
    await showTasks([
      task({ id: 't-q', phase: 'init', assignedTo: null, title: 'Waiting one' }),
      task({ id: 't-old', phase: 'executing', updatedAt: 2_000 }),
      task({ id: 't-new', phase: 'executing', updatedAt: 3_000 }),
      task({ id: 't-done', phase: 'complete' }),
    ]);
    expect(screen.getByTestId('nav-tasks').getAttribute('aria-current')).toBe('page');
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent?.replace(/\d+$/, '').trim())).toEqual([
      'Queued',
      'Planning',
      'Executing',
      'Validating',
      'Complete',
      'Failed',
    ]);
    expect(cardsIn('init')).toEqual(['t-q']);
    expect(within(column('init')).getByTestId('task-card').textContent).toContain('waiting for a free instance');
    expect(cardsIn('executing')).toEqual(['t-new', 't-old']);
    expect(cardsIn('complete')).toEqual(['t-done']);
    expect(within(column('planning')).getByText('None.')).toBeTruthy();
    expect(screen.getByTestId('tasks-count').textContent).toBe('4 tasks');
  });

  it('moves a card to its new column on tasks.changed', async () => {
    const core = await showTasks([task({ id: 't-1', phase: 'planning' })]);
    expect(cardsIn('planning')).toEqual(['t-1']);
    act(() => {
      core.emit('tasks.changed', { upserts: [task({ id: 't-1', phase: 'validating', updatedAt: 9_000 })] });
      frames.frame();
    });
    expect(cardsIn('planning')).toEqual([]);
    expect(cardsIn('validating')).toEqual(['t-1']);
  });

  it('filters by agent (assignee or requester)', async () => {
    await showTasks([
      task({ id: 't-a', assignedTo: 'coder-1' }),
      task({ id: 't-b', assignedTo: 'coder-2' }),
      task({ id: 't-c', assignedTo: 'coder-2', requestedBy: 'supervisor' }),
    ]);
    fireEvent.change(screen.getByTestId('tasks-filter-agent'), { target: { value: 'coder-2' } });
    expect(cardsIn('executing').sort()).toEqual(['t-b', 't-c']);
    fireEvent.change(screen.getByTestId('tasks-filter-agent'), { target: { value: 'supervisor' } });
    expect(cardsIn('executing')).toEqual(['t-c']);
    expect(screen.getByTestId('tasks-count').textContent).toBe('1 of 3 tasks');
  });

  it('follows the chosen repo; "All repos" shows each card’s repo', async () => {
    await showTasks(
      [task({ id: 't-web', repo: 'web' }), task({ id: 't-api', repo: 'api' })],
      [
        { repo: 'web', primary: true, agents: 1 },
        { repo: 'api', primary: false, agents: 0 },
      ],
    );
    expect(cardsIn('executing').sort()).toEqual(['t-api', 't-web']);
    expect(within(column('executing')).getAllByText(/^(web|api)$/)).toHaveLength(2);
    fireEvent.change(screen.getByTestId('repo-switcher'), { target: { value: 'api' } });
    expect(cardsIn('executing')).toEqual(['t-api']);
    expect(screen.getByTestId('tasks-count').textContent).toBe('1 task in api');
    // The toolbar's select is the same choice.
    expect((screen.getByTestId('tasks-filter-repo') as HTMLSelectElement).value).toBe('api');
  });

  it('opens a task: target, assignee, history, parent and subtasks, result, cost', async () => {
    await showTasks([
      task({ id: 't-parent', title: 'Ship it', phase: 'executing' }),
      task({
        id: 't-child',
        title: 'Write the tests',
        parentId: 't-parent',
        phase: 'complete',
        target: 'capability:testing',
        assignedTo: 'tester',
        result: { summary: 'all green' },
        cost: { inputTokens: 1200, outputTokens: 300, costUsd: 0.05 },
        history: [
          { phase: 'init', at: 1_000, by: 'user' },
          { phase: 'planning', at: 1_100, by: 'tester' },
          { phase: 'complete', at: 1_900, by: 'tester' },
        ],
      }),
    ]);
    fireEvent.click(within(column('complete')).getByTestId('task-card'));
    const detail = screen.getByTestId('task-detail');
    expect(detail.dataset.task).toBe('t-child');
    expect(detail.textContent).toContain('capability:testing');
    expect(within(detail).getByTestId('task-assignee').textContent).toBe('tester');
    expect(within(detail).getByTestId('task-result').textContent).toContain('all green');
    expect(within(detail).getByTestId('task-cost').textContent).toContain('$0.05');
    expect(within(detail).getByTestId('task-history').querySelectorAll('li')).toHaveLength(3);
    expect(within(detail).queryByTestId('task-cancel')).toBeNull();
    fireEvent.click(within(detail).getByRole('button', { name: 'Ship it' }));
    const parent = screen.getByTestId('task-detail');
    expect(parent.dataset.task).toBe('t-parent');
    expect(within(parent).getByTestId('task-subtasks').textContent).toContain('Write the tests');
  });

  it('says a timeout plainly', async () => {
    await showTasks([
      task({ id: 't-late', phase: 'failed', timeoutMs: 90_000, error: { name: 'TimeoutError', message: 'no task.completed from coder-1' } }),
    ]);
    fireEvent.click(screen.getByTestId('task-card'));
    const error = screen.getByTestId('task-error');
    expect(error.dataset.errorName).toBe('TimeoutError');
    expect(error.textContent).toContain('Timed out');
    expect(error.textContent).toContain('No result within 1 min 30 s.');
  });

  it('lists the traces of its messages; one opens in the trace inspector', async () => {
    const core = await showTasks([task({ id: 't-1', messageIds: ['msg-0001', 'msg-0002'] })]);
    core.handle('traces.get', (input) => {
      const id = (input as { id: string }).id;
      return {
        summary: { messageId: id, traceId: 'tr', repo: 'default', from: 'user', to: 'coder-1', kind: id === 'msg-0001' ? 'task.assigned' : 'task.started', status: 'delivered', route: null, createdAt: 1_000, updatedAt: 1_000 },
        body: null,
        bodyTruncated: false,
        hops: [],
      };
    });
    fireEvent.click(screen.getByTestId('task-card'));
    await waitFor(() => expect(screen.getAllByTestId('task-trace')).toHaveLength(2));
    // Newest first.
    expect(screen.getAllByTestId('task-trace')[0]!.textContent).toContain('task.started');
    fireEvent.click(screen.getAllByTestId('task-trace')[1]!);
    await waitFor(() => expect(screen.getByTestId('view-traces')).toBeTruthy());
    expect(useAppStore.getState().selectedTrace).toBe('msg-0001');
  });

  it('creates a task for a role and shows it; a refusal shows its typed error', async () => {
    const core = await showTasks([]);
    act(() => {
      core.emit('agents.changed', { revision: 2, upserts: [agent({ name: 'coder-1', type: 'coder', capabilities: ['review'] })], removals: [] });
      frames.frame();
    });
    expect(screen.getByTestId('tasks-empty')).toBeTruthy();
    fireEvent.click(screen.getByTestId('open-new-task'));
    const options = [...document.querySelectorAll('datalist option')].map((o) => o.getAttribute('value'));
    expect(options).toEqual(['capability:review', 'type:coder', 'coder-1']);
    core.handle('tasks.create', () => {
      throw { name: 'NoAgentAvailable', message: 'no instance of type:coder is healthy' };
    });
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Fix the build' } });
    fireEvent.change(screen.getByLabelText('For'), { target: { value: 'type:coder' } });
    fireEvent.change(screen.getByLabelText('Timeout (min)'), { target: { value: '5' } });
    fireEvent.click(screen.getByTestId('task-create'));
    const refused = await screen.findByTestId('task-create-error');
    expect(refused.dataset.errorName).toBe('NoAgentAvailable');
    expect(refused.textContent).toContain('no instance of type:coder is healthy');
    core.handle('tasks.create', () => task({ id: 't-new', title: 'Fix the build', phase: 'init', assignedTo: null, updatedAt: 10_000 }));
    fireEvent.click(screen.getByTestId('task-create'));
    expect((await screen.findByTestId('task-created')).textContent).toContain('queued until an instance is free');
    expect(core.calls.filter((c) => c.call === 'tasks.create').at(-1)?.input).toEqual({
      title: 'Fix the build',
      body: 'Fix the build',
      to: 'type:coder',
      timeoutMs: 300_000,
    });
    expect(cardsIn('init')).toEqual(['t-new']);
    expect(screen.getByTestId('task-detail').dataset.task).toBe('t-new');
    // A validator goes into the task's constraints (the form stays open after a task is created).
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Ship it' } });
    fireEvent.change(screen.getByLabelText('For'), { target: { value: 'supervisor' } });
    fireEvent.change(screen.getByTestId('task-validate-by'), { target: { value: 'type:review' } });
    fireEvent.click(screen.getByTestId('task-create'));
    await waitFor(() => expect(core.calls.filter((c) => c.call === 'tasks.create').at(-1)?.input).toMatchObject({ to: 'supervisor', constraints: { validateBy: 'type:review' } }));
  });

  it('cancels a running task', async () => {
    const core = await showTasks([task({ id: 't-1', phase: 'executing' })]);
    core.handle('tasks.cancel', () =>
      task({ id: 't-1', phase: 'failed', error: { name: 'Cancelled', message: 'cancelled by user' }, updatedAt: 9_000 }),
    );
    fireEvent.click(screen.getByTestId('task-card'));
    fireEvent.click(screen.getByTestId('task-cancel'));
    await waitFor(() => expect(cardsIn('failed')).toEqual(['t-1']));
    expect(core.calls.find((c) => c.call === 'tasks.cancel')?.input).toEqual({ id: 't-1', repo: 'default' });
    expect(screen.getByTestId('task-error').textContent).toContain('cancelled by user');
    expect(screen.queryByTestId('task-cancel')).toBeNull();
  });

  it('a core without tasks yet says so with its typed error', async () => {
    const core = workCore();
    core.handle('tasks.list', () => notYetBuilt('tasks.list'));
    await attachApi(core.api, 'bridge');
    showView('tasks');
    render(<Shell />);
    const error = await screen.findByTestId('tasks-load-error');
    expect(error.dataset.errorName).toBe('NotYetBuilt');
  });
});
