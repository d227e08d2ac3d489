// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Shell } from '../../../src/renderer/src/shell/shell.js';
import { resetAppStore } from '../../../src/renderer/src/store/app-store.js';
import { attachApi, setFrameScheduler, showView } from '../../../src/renderer/src/store/actions.js';
import type { ApprovalView } from '../../../src/shared/coding-contract.js';
import { approval } from './coding-fixtures.js';
import { fakeCore, manualFrames } from './fixtures.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let frames: ReturnType<typeof manualFrames>;

beforeEach(() => {
  resetAppStore();
  frames = manualFrames();
  setFrameScheduler(frames);
});

afterEach(() => cleanup());

async function withApprovals(list: ApprovalView[]): Promise<ReturnType<typeof fakeCore>> {
  const core = fakeCore();
  core.handle('approvals.list', () => list);
  await attachApi(core.api, 'bridge');
  await waitFor(() => expect(core.calls.some((c) => c.call === 'approvals.list')).toBe(true));
  // The list's answer reaches the store with the next frame.
  await act(async () => {
    await Promise.resolve();
    frames.frame();
  });
  showView('approvals');
  render(<Shell />);
  return core;
}

describe('Approvals inbox', () => {
  it('lists pending approvals first with agent, tool, summary, cwd and time left; the badge counts them', async () => {
    const now = Date.now();
    await withApprovals([
      approval({ approvalId: 'appr-done-01', state: 'granted', answeredAt: now - 500, tool: 'Read' }),
      approval({ approvalId: 'appr-late-01', from: 'coder', tool: 'Bash', summary: 'Bash: npm test', expiresAt: now + 300_000 }),
      approval({ approvalId: 'appr-soon-01', from: 'reviewer', tool: 'Write', summary: 'Write a.ts', cwd: '/work/repo', expiresAt: now + 65_000 }),
    ]);
    await waitFor(() => expect(screen.getAllByTestId('approval')).toHaveLength(3));
    const cards = screen.getAllByTestId('approval');
    expect(cards.map((c) => c.dataset.approval)).toEqual(['appr-soon-01', 'appr-late-01', 'appr-done-01']);
    const first = cards[0]!;
    expect(first.textContent).toContain('reviewer asks to use Write');
    expect(first.textContent).toContain('Write a.ts');
    expect(first.textContent).toContain('/work/repo');
    expect(within(first).getByTestId('approval-time-left').textContent).toMatch(/^1m 0[45]s left$/);
    expect(within(cards[2]!).queryByTestId('approval-allow')).toBeNull();
    expect(screen.getByTestId('approvals-badge').textContent).toBe('2');
  });

  it('approves from the inbox: approvals.answer is called and the badge drops', async () => {
    const core = await withApprovals([approval({ approvalId: 'appr-0001' }), approval({ approvalId: 'appr-0002', tool: 'Bash' })]);
    core.handle('approvals.answer', (input) => {
      const { approvalId } = input as { approvalId: string };
      return approval({ approvalId, tool: 'Bash', state: 'granted', answeredAt: Date.now() });
    });
    await waitFor(() => expect(screen.getByTestId('approvals-badge').textContent).toBe('2'));
    const card = screen.getAllByTestId('approval').find((c) => c.dataset.approval === 'appr-0002')!;
    fireEvent.click(within(card).getByTestId('approval-always'));
    await waitFor(() => expect(screen.getByTestId('approvals-badge').textContent).toBe('1'));
    expect(core.calls.find((c) => c.call === 'approvals.answer')?.input).toEqual({ approvalId: 'appr-0002', allow: true, always: true });
    const answered = screen.getAllByTestId('approval').find((c) => c.dataset.approval === 'appr-0002')!;
    expect(answered.dataset.state).toBe('granted');
    // Answered ones go below the pending one.
    expect(screen.getAllByTestId('approval').map((c) => c.dataset.approval)).toEqual(['appr-0001', 'appr-0002']);
  });

  it('follows approvals.changed: a new request raises the badge, an expiry lowers it', async () => {
    const core = await withApprovals([]);
    expect(screen.getByTestId('approvals-empty')).toBeTruthy();
    expect(screen.queryByTestId('approvals-badge')).toBeNull();
    core.emit('approvals.changed', { changed: [approval({ approvalId: 'appr-new-01' })], pending: 1 });
    act(() => frames.frame());
    expect(screen.getByTestId('approvals-badge').textContent).toBe('1');
    core.emit('approvals.changed', { changed: [approval({ approvalId: 'appr-new-01', state: 'expired', answeredAt: Date.now() })], pending: 0 });
    act(() => frames.frame());
    expect(screen.queryByTestId('approvals-badge')).toBeNull();
    expect(screen.getByTestId('approval').dataset.state).toBe('expired');
  });
});
