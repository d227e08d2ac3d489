// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Shell } from '../../../src/renderer/src/shell/shell.js';
import { resetAppStore, useAppStore } from '../../../src/renderer/src/store/app-store.js';
import { attachApi, openAgentPanel, setFrameScheduler, showView } from '../../../src/renderer/src/store/actions.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
import type { SendResult } from '../../../src/shared/routing-contract.js';
import type { RepoView } from '../../../src/shared/work-contract.js';
import { agent, manualFrames } from './fixtures.js';
import { workCore } from './work-fixtures.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let frames: ReturnType<typeof manualFrames>;

beforeEach(() => {
  resetAppStore();
  frames = manualFrames();
  setFrameScheduler(frames);
});

afterEach(() => cleanup());

const ROUTE = { sourceLocation: 'local', destLocation: 'local', routedVia: 'local', routedAt: 1_000 } as const;

async function showAgents(agents: AgentInfo[], repos?: RepoView[]): Promise<ReturnType<typeof workCore>> {
  const core = workCore(repos ? { repos } : {});
  core.handle('agents.list', () => agents);
  await attachApi(core.api, 'bridge');
  await waitFor(() => expect(useAppStore.getState().tasksLoad.phase).not.toBe('loading'));
  await act(async () => {
    await Promise.resolve();
    frames.frame();
  });
  showView('agents');
  render(<Shell />);
  return core;
}

const rows = (): string[] => [...document.querySelectorAll('[data-agent]')].map((row) => row.getAttribute('data-agent') ?? '');

describe('Send to a role', () => {
  it('sends to one instance of a type and says which one and why', async () => {
    const core = await showAgents([agent({ name: 'coder-1', type: 'coder' }), agent({ name: 'coder-2', type: 'coder', capabilities: ['review'] })]);
    core.handle('messages.send', (): SendResult => ({
      messageId: 'msg-00000001',
      traceId: 'a'.repeat(32),
      status: 'delivered',
      route: ROUTE,
      to: 'coder-2',
      reason: 'least loaded healthy instance of type:coder (0/4)',
    }));
    act(() => openAgentPanel({ kind: 'send' }));
    const options = [...document.querySelectorAll('datalist option')].map((o) => o.getAttribute('value'));
    expect(options).toEqual(['*', 'capability:review', 'type:coder', 'coder-1', 'coder-2']);
    const fanout = screen.getByLabelText('To every instance') as HTMLInputElement;
    fireEvent.change(screen.getByTestId('send-to'), { target: { value: 'coder-1' } });
    expect(fanout.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('send-to'), { target: { value: 'type:coder' } });
    expect(fanout.disabled).toBe(false);
    expect(fanout.checked).toBe(false);
    fireEvent.change(screen.getByTestId('send-body'), { target: { value: 'hello' } });
    fireEvent.click(screen.getByTestId('send-submit'));
    const result = await screen.findByTestId('send-result');
    expect(within(result).getByTestId('send-chosen').textContent).toBe('coder-2');
    expect(within(result).getByTestId('send-reason').textContent).toBe('Why: least loaded healthy instance of type:coder (0/4)');
    expect(core.calls.find((c) => c.call === 'messages.send')?.input).toEqual({ from: 'user', to: 'type:coder', kind: 'text', body: 'hello' });
  });

  it('to every instance: fanout all, and every recipient listed with its trace', async () => {
    const core = await showAgents([agent({ name: 'coder-1', type: 'coder' }), agent({ name: 'coder-2', type: 'coder' })]);
    core.handle('messages.send', (): SendResult => ({
      messageId: 'msg-00000001',
      traceId: 'b'.repeat(32),
      status: 'delivered',
      route: ROUTE,
      to: 'coder-1',
      recipients: [
        { to: 'coder-1', messageId: 'msg-00000001', status: 'delivered' },
        { to: 'coder-2', messageId: 'msg-00000002', status: 'queued' },
      ],
    }));
    act(() => openAgentPanel({ kind: 'send' }));
    fireEvent.change(screen.getByTestId('send-to'), { target: { value: 'type:coder' } });
    fireEvent.click(screen.getByLabelText('To every instance'));
    fireEvent.click(screen.getByTestId('send-submit'));
    const list = await screen.findByTestId('send-recipients');
    expect([...list.querySelectorAll('li')].map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'coder-1 delivered trace',
      'coder-2 queued trace',
    ]);
    expect(core.calls.find((c) => c.call === 'messages.send')?.input).toMatchObject({ to: 'type:coder', fanout: 'all' });
    fireEvent.click(screen.getByRole('button', { name: 'Open the trace of the message to coder-2' }));
    await waitFor(() => expect(useAppStore.getState().selectedTrace).toBe('msg-00000002'));
    expect(useAppStore.getState().view).toBe('traces');
  });

  it('* is always everyone: the checkbox shows it, checked and fixed', async () => {
    await showAgents([agent({ name: 'coder-1' })]);
    act(() => openAgentPanel({ kind: 'send' }));
    fireEvent.change(screen.getByTestId('send-to'), { target: { value: '*' } });
    const fanout = screen.getByLabelText('To every instance') as HTMLInputElement;
    expect(fanout.checked).toBe(true);
    expect(fanout.disabled).toBe(true);
  });
});

describe('Several repos', () => {
  const REPOS: RepoView[] = [
    { repo: 'web', primary: true, agents: 2 },
    { repo: 'api', primary: false, agents: 1 },
  ];
  const AGENTS = [agent({ name: 'a', repo: 'web' }), agent({ name: 'b', repo: 'web' }), agent({ name: 'c', repo: 'api' })];

  it('the top bar switches repo, primary first; "All repos" names each agent’s repo', async () => {
    await showAgents(AGENTS, REPOS);
    const switcher = screen.getByTestId('repo-switcher') as HTMLSelectElement;
    expect([...switcher.options].map((o) => o.textContent)).toEqual(['All repos', 'web (primary) · 2 agents', 'api · 1 agent']);
    expect(rows()).toEqual(['web/a', 'web/b', 'api/c']);
    expect(document.querySelectorAll('.agent-repo')).toHaveLength(3);
    fireEvent.change(switcher, { target: { value: 'api' } });
    expect(rows()).toEqual(['api/c']);
    expect(screen.getByTestId('agents-count').textContent).toBe('1 agent in api');
    expect(document.querySelectorAll('.agent-repo')).toHaveLength(0);
    // The Context and Tasks views follow the same choice.
    act(() => showView('context'));
    expect(screen.getByTestId('context-count').textContent).toBe('0 keys in api');
  });

  it('with one repo, no switcher: the chip as before and every agent listed', async () => {
    await showAgents(AGENTS);
    expect(screen.queryByTestId('repo-switcher')).toBeNull();
    expect(rows()).toEqual(['web/a', 'web/b', 'api/c']);
  });
});
