// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentsView } from '../../../src/renderer/src/agents/agents-view.js';
import { formatUptime } from '../../../src/renderer/src/coding/metrics-panel.js';
import { resetAppStore } from '../../../src/renderer/src/store/app-store.js';
import { attachApi, openAgent, setFrameScheduler } from '../../../src/renderer/src/store/actions.js';
import type { AgentMetrics, MetricsWindow } from '../../../src/shared/work-model.js';
import { agent, fakeCore, manualFrames } from './fixtures.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let frames: ReturnType<typeof manualFrames>;

beforeEach(() => {
  resetAppStore();
  frames = manualFrames();
  setFrameScheduler(frames);
});

afterEach(() => cleanup());

function metrics(window: MetricsWindow, overrides: Partial<AgentMetrics> = {}): AgentMetrics {
  return {
    name: 'coder',
    repo: 'demo',
    window,
    since: 1_000,
    tasksCompleted: window === '1h' ? 1 : 12,
    tasksFailed: window === '1h' ? 0 : 2,
    avgDurationMs: 95_000,
    inputTokens: 15_000,
    outputTokens: 2_000,
    costUsd: 1.25,
    uptimePct: 99.95,
    restarts: 1,
    ...overrides,
  };
}

async function openMetrics(): Promise<ReturnType<typeof fakeCore>> {
  const core = fakeCore({ agents: [agent({ name: 'coder', type: 'claude-code', ownership: 'user' })] });
  core.handle('agents.metrics', (input) => metrics((input as { window: MetricsWindow }).window));
  await attachApi(core.api, 'bridge');
  await act(async () => {
    await Promise.resolve();
    frames.frame();
  });
  openAgent('coder', 'metrics');
  render(<AgentsView />);
  return core;
}

describe('Metrics in the agent’s panel', () => {
  it('shows the last 24 hours by default, and another window on a click', async () => {
    const core = await openMetrics();
    const facts = await screen.findByTestId('metrics-facts');
    expect(facts.dataset.window).toBe('24h');
    expect(screen.getByTestId('metrics-completed').textContent).toBe('12');
    expect(screen.getByTestId('metrics-failed').textContent).toBe('2');
    expect(facts.textContent).toContain('1m 35s');
    expect(facts.textContent).toContain('$1.25');
    expect(screen.getByTestId('metrics-uptime').textContent).toBe('99.9 %');
    expect(core.calls.find((c) => c.call === 'agents.metrics')?.input).toEqual({ name: 'coder', window: '24h', repo: 'demo' });
    expect(screen.getByRole('radio', { name: 'Last 24 hours' }).getAttribute('aria-checked')).toBe('true');

    fireEvent.click(screen.getByRole('radio', { name: 'Last hour' }));
    await waitFor(() => expect(screen.getByTestId('metrics-facts').dataset.window).toBe('1h'));
    expect(screen.getByTestId('metrics-completed').textContent).toBe('1');
    expect(screen.getByRole('radio', { name: 'Last hour' }).getAttribute('aria-checked')).toBe('true');
  });

  it('asks again when the agent restarts, not on a heartbeat nor a timer', async () => {
    const core = await openMetrics();
    await screen.findByTestId('metrics-facts');
    const asked = (): number => core.calls.filter((c) => c.call === 'agents.metrics').length;
    expect(asked()).toBe(1);
    const supervised = (restarts: number, lastHeartbeat: number): ReturnType<typeof agent> =>
      agent({ name: 'coder', type: 'claude-code', ownership: 'user', lastHeartbeat, metadata: { supervision: { state: 'running', restarts, pid: 10 + restarts, lastExit: null } } });
    act(() => {
      core.emit('agents.changed', { revision: 5, upserts: [supervised(0, 2_000)], removals: [] });
      frames.frame();
    });
    await waitFor(() => expect(asked()).toBe(2));
    act(() => {
      core.emit('agents.changed', { revision: 6, upserts: [supervised(0, 3_000)], removals: [] });
      frames.frame();
    });
    // A heartbeat alone: the effect would have called at once (the call is recorded as it starts).
    expect(asked()).toBe(2);
    act(() => {
      core.emit('agents.changed', { revision: 7, upserts: [supervised(1, 4_000)], removals: [] });
      frames.frame();
    });
    await waitFor(() => expect(asked()).toBe(3));
    expect(screen.getByTestId('metrics-facts')).toBeTruthy();
  });

  it('says a refusal with its typed error', async () => {
    const core = await openMetrics();
    await screen.findByTestId('metrics-facts');
    core.handle('agents.metrics', () => {
      throw { name: 'NotYetBuilt', message: 'agents.metrics is not built yet' };
    });
    fireEvent.click(screen.getByTestId('metrics-window-7d'));
    expect((await screen.findByTestId('metrics-error')).dataset.errorName).toBe('NotYetBuilt');
  });

  it('formats uptime without rounding up to a full 100', () => {
    expect(formatUptime(100)).toBe('100 %');
    expect(formatUptime(99.99)).toBe('99.9 %');
    expect(formatUptime(0)).toBe('0.0 %');
  });
});
