// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Shell } from '../../../src/renderer/src/shell/shell.js';
import { resetAppStore, useAppStore } from '../../../src/renderer/src/store/app-store.js';
import { attachApi, setFrameScheduler, showView } from '../../../src/renderer/src/store/actions.js';
import type { ContextEntry } from '../../../src/shared/blackboard.js';
import { manualFrames } from './fixtures.js';
import { entry, workCore } from './work-fixtures.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let frames: ReturnType<typeof manualFrames>;

beforeEach(() => {
  resetAppStore();
  frames = manualFrames();
  setFrameScheduler(frames);
});

afterEach(() => cleanup());

async function showContext(entries: ContextEntry[]): Promise<ReturnType<typeof workCore>> {
  const core = workCore({ entries });
  await attachApi(core.api, 'bridge');
  await waitFor(() => expect(useAppStore.getState().contextLoad.phase).toBe('ready'));
  await act(async () => {
    await Promise.resolve();
    frames.frame();
  });
  showView('context');
  render(<Shell />);
  return core;
}

const keys = (): string[] => screen.queryAllByTestId('context-row').map((row) => row.dataset.key ?? '');

describe('Context view', () => {
  it('lists live entries grouped by prefix with value, writer and expiry; expired and deleted ones are not shown', async () => {
    const later = Date.now() + 3_600_000;
    await showContext([
      entry({ key: 'shared/notes', value: { todo: ['tests'] }, writer: 'coder' }),
      entry({ key: 'repo/plan', value: 'ship friday', writer: 'supervisor', expiresAt: later }),
      entry({ key: 'repo/old', expiresAt: 1_000 }),
      entry({ key: 'task/t-1/result', value: null, operation: 'delete' }),
    ]);
    expect(screen.getByTestId('nav-context').getAttribute('aria-current')).toBe('page');
    expect(keys()).toEqual(['repo/plan', 'shared/notes']);
    expect(screen.getAllByRole('rowheader').map((th) => th.textContent)).toEqual(['repo/ 1', 'shared/ 1']);
    const plan = screen.getAllByTestId('context-row')[0]!;
    expect(plan.textContent).toContain('ship friday');
    expect(plan.textContent).toContain('supervisor');
    expect(screen.getAllByTestId('context-row')[1]!.textContent).toContain('{"todo":["tests"]}');
    expect(screen.getByTestId('context-count').textContent).toBe('2 keys');
    fireEvent.change(screen.getByTestId('context-prefix'), { target: { value: 'shared/' } });
    expect(keys()).toEqual(['shared/notes']);
  });

  it('follows context.changed: a new key appears, a deleted one goes', async () => {
    const core = await showContext([entry({ key: 'shared/a', revision: 1 })]);
    act(() => {
      core.emit('context.changed', {
        entries: [entry({ key: 'shared/b', revision: 1 }), entry({ key: 'shared/a', revision: 2, value: null, operation: 'delete' })],
      });
      frames.frame();
    });
    expect(keys()).toEqual(['shared/b']);
  });

  it('shows a key’s history, newest first, and fetches again on a new revision', async () => {
    const core = await showContext([entry({ key: 'shared/a', revision: 2, value: 'two' })]);
    let asked = 0;
    core.handle('context.get', () => {
      asked++;
      return {
        entry: entry({ key: 'shared/a', revision: 2, value: 'two' }),
        history: [entry({ key: 'shared/a', revision: 2, value: 'two', writer: 'coder' }), entry({ key: 'shared/a', revision: 1, value: 'one' })],
      };
    });
    fireEvent.click(within(screen.getByTestId('context-row')).getByRole('button', { name: 'shared/a' }));
    await waitFor(() => expect(screen.getByTestId('context-revisions').querySelectorAll('li')).toHaveLength(2));
    expect(core.calls.find((c) => c.call === 'context.get')?.input).toEqual({ key: 'shared/a', repo: 'default', history: true });
    expect(screen.getByTestId('context-revisions').textContent).toMatch(/#2.*coder.*two.*#1.*one/s);
    act(() => {
      core.emit('context.changed', { entries: [entry({ key: 'shared/a', revision: 3, value: 'three' })] });
      frames.frame();
    });
    await waitFor(() => expect(asked).toBe(2));
  });

  it('sets a key with a time to live; a refused write says ContextWriteDenied and the rules', async () => {
    const core = await showContext([entry({ key: 'shared/a' })]);
    fireEvent.click(screen.getByTestId('open-context-form'));
    fireEvent.change(screen.getByLabelText('Key'), { target: { value: 'repo plan' } });
    expect(screen.getByLabelText('Key').getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByTestId('context-set') as HTMLButtonElement).disabled).toBe(true);
    core.handle('context.set', () => {
      throw { name: 'ContextWriteDenied', message: 'ada.user may not write repo/plan' };
    });
    fireEvent.change(screen.getByLabelText('Key'), { target: { value: 'repo/plan' } });
    fireEvent.change(screen.getByLabelText(/^Value/), { target: { value: '{"step": 1}' } });
    fireEvent.click(screen.getByTestId('context-set'));
    const refused = await screen.findByTestId('context-write-error');
    expect(refused.dataset.errorName).toBe('ContextWriteDenied');
    expect(refused.textContent).toContain('ada.user may not write repo/plan');
    expect(screen.getByTestId('context-write-rules').textContent).toContain('You may not write this key');
    core.handle('context.set', (input) => entry({ key: (input as { key: string }).key, value: { step: 1 }, revision: 1, writer: 'ada.user', updatedAt: Date.now() }));
    fireEvent.change(screen.getByLabelText('Key'), { target: { value: 'shared/plan' } });
    fireEvent.change(screen.getByLabelText('Expires after (s)'), { target: { value: '60' } });
    fireEvent.click(screen.getByTestId('context-set'));
    expect((await screen.findByTestId('context-written')).textContent).toContain('Set shared/plan');
    expect(core.calls.filter((c) => c.call === 'context.set').at(-1)?.input).toEqual({ key: 'shared/plan', value: { step: 1 }, ttlMs: 60_000 });
    expect(keys()).toEqual(['shared/a', 'shared/plan']);
  });

  it('deletes a key: context.set with a null value', async () => {
    const core = await showContext([entry({ key: 'shared/a', revision: 1 })]);
    core.handle('context.set', () => entry({ key: 'shared/a', value: null, operation: 'delete', revision: 2 }));
    fireEvent.click(screen.getByTestId('open-context-form'));
    fireEvent.change(screen.getByLabelText('Key'), { target: { value: 'shared/a' } });
    fireEvent.click(screen.getByTestId('context-delete'));
    expect((await screen.findByTestId('context-written')).textContent).toContain('Deleted shared/a');
    expect(core.calls.find((c) => c.call === 'context.set')?.input).toEqual({ key: 'shared/a', value: null });
    expect(screen.getByTestId('context-empty')).toBeTruthy();
  });
});
