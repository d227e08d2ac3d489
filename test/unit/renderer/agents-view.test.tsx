// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentsView } from '../../../src/renderer/src/agents/agents-view.js';
import { resetAppStore } from '../../../src/renderer/src/store/app-store.js';
import { attachApi, setFrameScheduler } from '../../../src/renderer/src/store/actions.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
import { ENDED_GRACE_MS } from '../../../src/renderer/src/model/ended-agents.js';
import { agent, fakeCore, manualFrames } from './fixtures.js';

// Tell React this environment drives act() itself (frames are flushed by hand).
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let frames: ReturnType<typeof manualFrames>;

async function withAgents(agents: AgentInfo[]): Promise<ReturnType<typeof fakeCore>> {
  const core = fakeCore({ agents });
  await attachApi(core.api, 'bridge');
  frames.frame();
  return core;
}

beforeEach(() => {
  resetAppStore();
  frames = manualFrames();
  setFrameScheduler(frames);
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('AgentsView', () => {
  it('tells the user what to do when there are no agents', async () => {
    await withAgents([]);
    render(<AgentsView />);
    expect(screen.getByTestId('agents-empty').textContent).toContain(
      'Start a local agent from a manifest, or enable hybrid mode in Settings',
    );
  });

  it('shows agents in their ownership bands with location badges', async () => {
    const now = Date.now();
    await withAgents([
      agent({ name: 'supervisor', type: 'supervisor', ownership: 'repo', location: 'remote', lastHeartbeat: now - 5_000 }),
      agent({ name: 'workspace', type: 'workspace', ownership: 'user', location: 'local', load: { current: 1, max: 2 } }),
      agent({ name: 'worker-7', ownership: 'task', location: 'remote', status: 'busy' }),
    ]);
    render(<AgentsView />);
    const team = screen.getByTestId('band-repo');
    expect(within(team).getByText('Team · repo')).toBeTruthy();
    expect(within(team).getByText('remote')).toBeTruthy();
    expect(within(team).getByText(/^\d+s$/)).toBeTruthy();
    const mine = screen.getByTestId('band-user');
    expect(within(mine).getByText('this laptop')).toBeTruthy();
    expect(within(mine).getByText('1/2')).toBeTruthy();
    const workers = screen.getByTestId('band-task');
    expect(within(workers).getByRole('row', { name: /worker-7/ }).getAttribute('data-status')).toBe('busy');
  });

  it('filters by search, status and location, and says when nothing matches', async () => {
    await withAgents([
      agent({ name: 'alpha', location: 'local', status: 'active' }),
      agent({ name: 'beta', location: 'remote', status: 'unreachable' }),
    ]);
    render(<AgentsView />);
    expect(screen.getAllByTestId('agent-row')).toHaveLength(2);

    fireEvent.change(screen.getByLabelText('Search agents'), { target: { value: 'alp' } });
    expect(screen.getAllByTestId('agent-row').map((row) => row.dataset.agent)).toEqual(['demo/alpha']);
    expect(screen.getByTestId('agents-count').textContent).toBe('1 of 2 agents');

    fireEvent.change(screen.getByLabelText('Search agents'), { target: { value: '' } });
    fireEvent.click(screen.getByTestId('filter-status-unreachable'));
    expect(screen.getAllByTestId('agent-row').map((row) => row.dataset.agent)).toEqual(['demo/beta']);

    fireEvent.change(screen.getByTestId('filter-location'), { target: { value: 'local' } });
    expect(screen.getByTestId('agents-no-match')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(screen.getAllByTestId('agent-row')).toHaveLength(2);
  });

  it('updates from batched events on the next frame', async () => {
    const core = await withAgents([]);
    render(<AgentsView />);
    core.emit('agents.changed', { revision: 1, upserts: [agent({ name: 'late' })], removals: [] });
    expect(screen.queryAllByTestId('agent-row')).toHaveLength(0);
    act(() => frames.frame());
    expect(screen.getAllByTestId('agent-row')).toHaveLength(1);
  });
  it('folds ended workers away after a minute, and the toolbar toggle brings them back', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const now = Date.now();
    const core = await withAgents([
      agent({ name: 'workspace', ownership: 'user', lastHeartbeat: now }),
      agent({ name: 'worker-old', status: 'terminated', lastHeartbeat: now - 10 * ENDED_GRACE_MS }),
      agent({ name: 'worker-live', status: 'busy', lastHeartbeat: now }),
    ]);
    render(<AgentsView />);
    // Rows in band order: mine, then the workers.
    const rows = (): string[] => screen.getAllByTestId('agent-row').map((row) => row.dataset.agent ?? '');
    // Found already ended long ago: folded at once.
    expect(rows()).toEqual(['demo/workspace', 'demo/worker-live']);
    expect(screen.getByTestId('agents-count').textContent).toBe('2 of 3 agents');
    const toggle = screen.getByTestId('toggle-ended');
    expect(toggle.textContent).toBe('Show ended (1)');

    // Seen ending: it stays for the grace period, then folds.
    core.emit('agents.changed', { revision: 2, upserts: [agent({ name: 'worker-live', status: 'terminated', lastHeartbeat: now })], removals: [] });
    act(() => frames.frame());
    expect(rows()).toEqual(['demo/workspace', 'demo/worker-live']);
    act(() => {
      vi.advanceTimersByTime(ENDED_GRACE_MS - 1_000);
    });
    expect(rows()).toContain('demo/worker-live');
    act(() => {
      vi.advanceTimersByTime(1_000);
    });
    expect(rows()).toEqual(['demo/workspace']);
    expect(toggle.textContent).toBe('Show ended (2)');

    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(rows()).toEqual(['demo/workspace', 'demo/worker-live', 'demo/worker-old']);
    expect(screen.getByTestId('agents-count').textContent).toBe('3 agents');
    fireEvent.click(toggle);
    expect(rows()).toEqual(['demo/workspace']);
  });
});
