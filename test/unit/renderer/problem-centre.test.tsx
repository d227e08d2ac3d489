// @vitest-environment jsdom
/**
 * The notification centre in the renderer: problems reach the store once per frame (the
 * newest list wins), the bell counts those that still hold, the panel lists them newest
 * first with reason and advice, Dismiss asks the core and removes the row; serious
 * problems notify in the browser only while the page is not in front.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bellTone, standingCount, whenLine } from '../../../src/renderer/src/model/problems.js';
import { Shell } from '../../../src/renderer/src/shell/shell.js';
import { resetAppStore, useAppStore } from '../../../src/renderer/src/store/app-store.js';
import { attachApi, setFrameScheduler } from '../../../src/renderer/src/store/actions.js';
import type { NotificationApi } from '../../../src/renderer/src/store/web-notifications.js';
import { notifyProblems } from '../../../src/renderer/src/store/web-notifications.js';
import { problemNotificationsFor } from '../../../src/shared/coding-notifications.js';
import type { Problem } from '../../../src/shared/problems.js';
import { fakeCore, manualFrames } from './fixtures.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const NOW = Date.now();

function problem(overrides: Partial<Problem> & { id: string }): Problem {
  return {
    severity: 'error',
    source: 'coordinator',
    title: `title of ${overrides.id}`,
    reason: 'the reason',
    advice: 'the advice',
    at: NOW,
    firstAt: NOW,
    count: 1,
    resolvedAt: null,
    ...overrides,
  };
}

const REFUSED = problem({
  id: 'coordinator.register:demo/alice.two',
  title: 'The team refused to register alice.two: QuotaExceeded',
  reason: 'user "alice" already has 1 agents; the limit is 1',
  advice: 'Stop an agent you no longer need, or ask a team admin to raise your quota.',
  at: NOW - 1_000,
});
const OUTBOX = problem({ id: 'outbox.growing', severity: 'warning', source: 'outbox', title: '120 messages wait to leave', at: NOW - 5_000 });
const RESOLVED = problem({ id: 'link.down', source: 'link', title: 'No link to the team for 1 min', at: NOW - 60_000, resolvedAt: NOW - 30_000 });

let frames: ReturnType<typeof manualFrames>;

beforeEach(() => {
  resetAppStore();
  frames = manualFrames();
  setFrameScheduler(frames);
});

afterEach(() => cleanup());

async function attached(list: Problem[]) {
  const core = fakeCore();
  core.handle('problems.list', () => list);
  await attachApi(core.api, 'bridge');
  await waitFor(() => expect(core.calls.some((c) => c.call === 'problems.list')).toBe(true));
  await act(async () => {
    await Promise.resolve();
    frames.frame();
  });
  return core;
}

describe('problems in the store', () => {
  it('arrive with the next frame, one store update for a burst, the newest list winning', async () => {
    const core = await attached([REFUSED]);
    expect(useAppStore.getState().problems).toEqual([REFUSED]);
    let updates = 0;
    const stop = useAppStore.subscribe(() => updates++);
    for (let i = 1; i <= 50; i++) core.emit('problems.changed', { problems: [{ ...REFUSED, count: i }], raised: [] });
    expect(updates).toBe(0);
    frames.frame();
    stop();
    expect(updates).toBe(1);
    expect(useAppStore.getState().problems[0]?.count).toBe(50);
  });
});

describe('the notification centre', () => {
  it('counts standing problems on the bell and lists all of them newest first with reason and advice', async () => {
    await attached([REFUSED, OUTBOX, RESOLVED]);
    render(<Shell />);
    const bell = screen.getByTestId('problem-bell');
    expect(within(bell).getByTestId('problem-count').textContent).toBe('2');
    expect(bell.className).toContain('bell--error');
    expect(screen.queryByTestId('problem-centre')).toBeNull();

    fireEvent.click(bell);
    const centre = screen.getByTestId('problem-centre');
    const rows = within(centre).getAllByTestId('problem');
    expect(rows.map((row) => row.getAttribute('data-problem'))).toEqual([REFUSED.id, OUTBOX.id, RESOLVED.id]);
    expect(rows.map((row) => row.getAttribute('data-state'))).toEqual(['error', 'warning', 'resolved']);
    expect(within(rows[0]!).getByTestId('problem-reason').textContent).toContain('the limit is 1');
    expect(within(rows[0]!).getByTestId('problem-advice').textContent).toContain('Stop an agent you no longer need');

    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('problem-centre')).toBeNull();
  });

  it('dismisses through the core and drops the row at once; "Clear resolved" takes the resolved ones', async () => {
    const core = await attached([REFUSED, RESOLVED]);
    const asked: unknown[] = [];
    core.handle('problems.dismiss', (input) => {
      asked.push(input);
      return { dismissed: (input as { ids: string[] }).ids.length };
    });
    render(<Shell />);
    fireEvent.click(screen.getByTestId('problem-bell'));
    await act(async () => {
      fireEvent.click(screen.getByTestId('problems-clear-resolved'));
    });
    await waitFor(() => expect(screen.getAllByTestId('problem')).toHaveLength(1));
    await act(async () => {
      fireEvent.click(screen.getByTestId('problem-dismiss'));
    });
    await waitFor(() => expect(screen.getByTestId('problems-empty')).toBeTruthy());
    expect(asked).toEqual([{ ids: [RESOLVED.id] }, { ids: [REFUSED.id] }]);
    expect(screen.queryByTestId('problem-count')).toBeNull();
  });

  it('says when in words', () => {
    expect(whenLine(problem({ id: 'x', at: 1_000_000, firstAt: 1_000_000 - 600_000, count: 3, resolvedAt: 1_000_000 }), 1_000_000 + 45_000)).toBe(
      '45 s ago · 3× since 10 min ago · resolved 45 s ago',
    );
    expect(standingCount([REFUSED, RESOLVED])).toBe(1);
    expect(bellTone([OUTBOX, RESOLVED])).toBe('warning');
    expect(bellTone([RESOLVED])).toBe('quiet');
  });
});

describe('OS notifications of problems', () => {
  function fakeNotifications() {
    const shown: string[] = [];
    const Api = class {
      static permission: NotificationPermission = 'granted';
      static requestPermission(): Promise<NotificationPermission> {
        return Promise.resolve('granted');
      }
      onclick: ((this: unknown, ev: Event) => unknown) | null = null;
      constructor(title: string) {
        shown.push(title);
      }
    };
    return { api: Api as unknown as NotificationApi, shown };
  }

  it('notify for a serious problem just raised, never for repeats, warnings or resolved ones', () => {
    const change = { problems: [REFUSED, OUTBOX, RESOLVED], raised: [REFUSED.id, OUTBOX.id, RESOLVED.id] };
    const notes = problemNotificationsFor(change, null);
    expect(notes.map((note) => [note.kind, note.title, note.peer])).toEqual([['problem', REFUSED.title, null]]);
    expect(notes[0]?.body).toContain('the limit is 1');
    expect(problemNotificationsFor({ ...change, raised: [] }, null)).toEqual([]);
    // The app in front: its bell says it.
    expect(problemNotificationsFor(change, { conversation: null, approvals: false })).toEqual([]);
  });

  it('show in the browser once allowed and while the page is not in front', () => {
    const fake = fakeNotifications();
    useAppStore.setState({ notifyPermission: 'granted' });
    let opened = 0;
    const change = { problems: [REFUSED], raised: [REFUSED.id] };
    expect(notifyProblems(change, () => opened++, fake.api, { visible: true, focused: true })).toBe(0);
    expect(notifyProblems(change, () => opened++, fake.api, { visible: false, focused: false })).toBe(1);
    expect(fake.shown).toEqual([REFUSED.title]);
    useAppStore.setState({ notifyPermission: 'denied' });
    expect(notifyProblems(change, () => opened++, fake.api, { visible: false, focused: false })).toBe(0);
  });
});
