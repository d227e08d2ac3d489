// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationPanel } from '../../../src/renderer/src/coding/conversation-panel.js';
import { resetAppStore } from '../../../src/renderer/src/store/app-store.js';
import { attachApi, setFrameScheduler } from '../../../src/renderer/src/store/actions.js';
import type { ConversationEntry } from '../../../src/shared/coding-contract.js';
import { approval, completed, entry, failed, progress, started } from './coding-fixtures.js';
import { fakeCore, manualFrames } from './fixtures.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let frames: ReturnType<typeof manualFrames>;

async function withConversation(history: ConversationEntry[]): Promise<ReturnType<typeof fakeCore>> {
  const core = fakeCore();
  core.handle('conversation.get', () => history);
  await attachApi(core.api, 'bridge');
  frames.frame();
  render(<ConversationPanel peer="coder" />);
  await screen.findByTestId('composer');
  await waitFor(() => expect(core.calls.some((c) => c.call === 'conversation.get')).toBe(true));
  return core;
}

const shown = (): string[] => screen.queryAllByTestId('transcript-item').map((item) => item.dataset.type ?? '');

beforeEach(() => {
  resetAppStore();
  frames = manualFrames();
  setFrameScheduler(frames);
});

afterEach(() => cleanup());

describe('ConversationPanel', () => {
  it('shows the history, then streamed entries in order on the next frame, tool uses collapsed with their result', async () => {
    const core = await withConversation([entry('task.assigned', 'write hello.txt', { direction: 'out' }), started('t1')]);
    await waitFor(() => expect(shown()).toEqual(['you', 'started']));
    expect(screen.getByText('write hello.txt')).toBeTruthy();

    core.emit('conversation.appended', {
      entries: [
        progress('t1', 1, [
          { type: 'text', text: 'I will write ' },
          { type: 'text', text: 'the file.' },
          { type: 'tool', id: 'tu1', tool: 'Write', summary: 'Write hello.txt' },
        ]),
      ],
    });
    expect(shown()).toEqual(['you', 'started']);
    act(() => frames.frame());
    expect(shown()).toEqual(['you', 'started', 'text', 'tool']);
    // Consecutive text of one task reads as one block of prose.
    expect(screen.getByText('I will write the file.')).toBeTruthy();
    const tool = screen.getByTestId('tool-use');
    expect(tool.tagName).toBe('DETAILS');
    expect((tool as HTMLDetailsElement).open).toBe(false);
    expect(tool.dataset.state).toBe('running');
    expect(within(tool).getByText('Write hello.txt')).toBeTruthy();

    // The result comes in a later batch and completes the same line.
    core.emit('conversation.appended', { entries: [progress('t1', 2, [{ type: 'tool-result', id: 'tu1', ok: false, summary: 'EACCES' }])] });
    core.emit('conversation.appended', { entries: [completed('t1')] });
    act(() => frames.frame());
    expect(shown()).toEqual(['you', 'started', 'text', 'tool', 'completed']);
    expect(screen.getByTestId('tool-use').dataset.state).toBe('error');
    expect(within(screen.getByTestId('tool-use')).getByText('EACCES')).toBeTruthy();
    const card = screen.getByTestId('task-completed');
    expect(within(card).getByText('hello.txt')).toBeTruthy();
    expect(within(card).getByText('sy/coder/t1', { exact: false })).toBeTruthy();
    expect(within(card).getByTestId('task-cost').textContent).toBe('$0.0123');
    expect(within(card).getByText('1.2k in · 340 out')).toBeTruthy();
    expect(within(card).getByText('4.2 s')).toBeTruthy();
  });

  it('does not show a message twice when the history and a live event both carry it', async () => {
    const first = started('t1');
    const core = await withConversation([first]);
    await waitFor(() => expect(shown()).toEqual(['started']));
    core.emit('conversation.appended', { entries: [first] });
    act(() => frames.frame());
    expect(shown()).toEqual(['started']);
  });

  it('shows a failed task with advice for its reason', async () => {
    await withConversation([failed({ reason: 'cli-missing', message: 'claude: not found on PATH' })]);
    const card = await screen.findByTestId('task-failed');
    expect(card.dataset.reason).toBe('cli-missing');
    expect(within(card).getByText('claude: not found on PATH')).toBeTruthy();
    expect(within(card).getByTestId('task-advice').textContent).toMatch(/Install the agent's CLI, or set its path/);
  });

  it('tells how to sign in when the agent is not authenticated', async () => {
    await withConversation([failed({ reason: 'not-authenticated', message: 'invalid x-api-key' })]);
    expect((await screen.findByTestId('task-advice')).textContent).toMatch(/Sign in .*or set its API key/);
  });

  it('shows bodies no schema describes as JSON, and a broken task body too, without failing', async () => {
    await withConversation([
      entry('decision.request', { question: 'merge?', options: [1, 2] }),
      entry('task.completed', { taskId: 't1', nonsense: true }),
      entry('text', 'plain words from a script agent'),
    ]);
    await waitFor(() => expect(shown()).toEqual(['raw', 'raw', 'raw']));
    const raws = screen.getAllByTestId('raw-message');
    expect(raws[0]?.querySelector('pre')?.textContent).toBe(JSON.stringify({ question: 'merge?', options: [1, 2] }, null, 2));
    expect(raws[2]?.querySelector('pre')?.textContent).toBe('plain words from a script agent');
  });

  it('sends a new task as user, a follow-up with its task id, and cancels a running task', async () => {
    const core = await withConversation([started('t1')]);
    core.handle('messages.send', () => ({
      messageId: 'msg-sent-0001',
      traceId: '0'.repeat(32),
      status: 'delivered',
      route: { sourceLocation: 'local', destLocation: 'local', routedVia: 'local', routedAt: 1 },
    }));
    const sends = (): unknown[] => core.calls.filter((c) => c.call === 'messages.send').map((c) => c.input);

    fireEvent.change(screen.getByTestId('composer-prompt'), { target: { value: 'run the tests' } });
    fireEvent.click(screen.getByTestId('composer-send'));
    await waitFor(() => expect(sends()).toHaveLength(1));
    expect(sends()[0]).toEqual({ from: 'user', to: 'coder', kind: 'task.assigned', body: 'run the tests' });
    await waitFor(() => expect((screen.getByTestId('composer-prompt') as HTMLTextAreaElement).value).toBe(''));

    fireEvent.change(screen.getByTestId('composer-task'), { target: { value: 't1' } });
    fireEvent.change(screen.getByTestId('composer-prompt'), { target: { value: 'and fix them' } });
    fireEvent.click(screen.getByTestId('composer-send'));
    await waitFor(() => expect(sends()).toHaveLength(2));
    expect(sends()[1]).toEqual({ from: 'user', to: 'coder', kind: 'task.assigned', body: { prompt: 'and fix them', taskId: 't1' } });

    fireEvent.click(within(screen.getByTestId('running-tasks')).getByTestId('task-cancel'));
    await waitFor(() => expect(sends()).toHaveLength(3));
    expect(sends()[2]).toEqual({ from: 'user', to: 'coder', kind: 'task.cancel', body: { taskId: 't1' } });
  });

  it('answers an approval in place and shows its new state', async () => {
    const request = entry('approval.requested', {
      approvalId: 'appr-0001',
      taskId: 't1',
      tool: 'Write',
      summary: 'Write hello.txt',
      input: { file_path: 'hello.txt' },
      cwd: '/repo',
      expiresAt: Date.now() + 60_000,
    });
    const core = await withConversation([started('t1'), request]);
    core.handle('approvals.answer', () => approval({ state: 'denied', answeredAt: Date.now() }));
    const card = await screen.findByTestId('approval');
    expect(card.dataset.state).toBe('pending');
    fireEvent.click(within(card).getByTestId('approval-deny'));
    await waitFor(() => expect(screen.getByTestId('approval').dataset.state).toBe('denied'));
    expect(screen.queryByTestId('approval-allow')).toBeNull();
    expect(core.calls.find((c) => c.call === 'approvals.answer')?.input).toEqual({ approvalId: 'appr-0001', allow: false });
  });
});
