// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StartPanel } from '../../../src/renderer/src/agents/start-panel.js';
import { resetAppStore } from '../../../src/renderer/src/store/app-store.js';
import { attachApi, setFrameScheduler } from '../../../src/renderer/src/store/actions.js';
import { CONFIG_VIEW, agent, fakeCore, manualFrames } from './fixtures.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

beforeEach(() => {
  resetAppStore();
  setFrameScheduler(manualFrames());
});
afterEach(() => cleanup());

const manifest = (type: string, config: Record<string, unknown> = {}) => ({ manifest: { type, command: 'node', args: [], config }, source: 'builtin', file: `${type}.json` });
const MANIFESTS = { manifests: [manifest('echo'), manifest('builder'), manifest('claude-code', { engine: 'claude' })], problems: [] };
const HYBRID = { ...CONFIG_VIEW, enabled: true, coordinationUrl: 'wss://team.example', localAgentTypes: ['echo', 'claude-code'], remoteAgentTypes: ['builder'] };

async function panelWith(config: typeof CONFIG_VIEW) {
  const core = fakeCore({ config });
  core.handle('manifests.list', () => MANIFESTS);
  await attachApi(core.api, 'bridge');
  render(<StartPanel />);
  await waitFor(() => expect(screen.getByTestId('start-type').querySelectorAll('option')).toHaveLength(3));
  return core;
}

const choose = (type: string) => fireEvent.change(screen.getByTestId('start-type'), { target: { value: type } });
const placement = () => screen.getByTestId('start-placement');

describe('Start panel: where the agent will run', () => {
  it('says local with hybrid off, and lets a local type start with the app in the repo', async () => {
    const core = await panelWith(CONFIG_VIEW);
    expect(placement().dataset.placement).toBe('local');
    expect(placement().textContent).toContain('Runs on this machine.');
    let types: string[] = [];
    core.handle('autostart.set', (input) => {
      const { type, enabled } = input as { type: string; enabled: boolean };
      types = enabled ? [type] : [];
      return { repo: 'default', types };
    });
    const box = (await screen.findByTestId('start-autostart')) as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(box.labels?.[0]?.textContent).toBe('Start echo with the app in default');
    fireEvent.click(box);
    await waitFor(() => expect((screen.getByTestId('start-autostart') as HTMLInputElement).checked).toBe(true));
    expect(core.calls.find((c) => c.call === 'autostart.set')?.input).toEqual({ type: 'echo', enabled: true });
  });

  it('says remote for a remote-listed type, with the local fallback when it is on, and offers no autostart or workspace for it', async () => {
    const core = await panelWith({ ...HYBRID, fallbackToLocal: false });
    choose('builder');
    expect(placement().dataset.placement).toBe('remote');
    expect(placement().textContent).toContain('Runs on the team');
    expect(screen.queryByTestId('start-autostart')).toBeNull();
    core.handle('agents.start', () => agent({ name: 'worker-3', type: 'worker', location: 'remote' }));
    fireEvent.click(screen.getByTestId('start-submit'));
    expect((await screen.findByTestId('start-result')).textContent).toBe('Started worker-3 (active, on the team).');
    expect(core.calls.find((c) => c.call === 'agents.start')?.input).toEqual({ type: 'builder' });

    cleanup();
    resetAppStore();
    await panelWith({ ...HYBRID, fallbackToLocal: true, remoteAgentTypes: ['builder', 'claude-code'], localAgentTypes: ['echo'] });
    choose('builder');
    expect(placement().dataset.placement).toBe('remote-or-local');
    expect(placement().textContent).toContain('remote · local fallback');
    // A coding type placed on the team takes no folder of this machine.
    choose('claude-code');
    expect(placement().dataset.placement).toBe('remote-or-local');
    expect(screen.queryByTestId('start-workspace')).toBeNull();
    choose('echo');
    expect(placement().dataset.placement).toBe('local');
  });
});
