// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentsView } from '../../../src/renderer/src/agents/agents-view.js';
import { resetAppStore } from '../../../src/renderer/src/store/app-store.js';
import { attachApi, setFrameScheduler } from '../../../src/renderer/src/store/actions.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
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

afterEach(() => cleanup());

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
});
