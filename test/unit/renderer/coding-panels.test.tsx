// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentsView } from '../../../src/renderer/src/agents/agents-view.js';
import { StartPanel } from '../../../src/renderer/src/agents/start-panel.js';
import { WorktreesPanel } from '../../../src/renderer/src/coding/worktrees-panel.js';
import { diffLineKind } from '../../../src/renderer/src/coding/diff-view.js';
import { resetAppStore } from '../../../src/renderer/src/store/app-store.js';
import { attachApi, setFrameScheduler } from '../../../src/renderer/src/store/actions.js';
import type { WorktreeInfo } from '../../../src/shared/coding-contract.js';
import { totals } from './coding-fixtures.js';
import { EMPTY_USAGE, agent, fakeCore, manualFrames } from './fixtures.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let frames: ReturnType<typeof manualFrames>;

beforeEach(() => {
  resetAppStore();
  frames = manualFrames();
  setFrameScheduler(frames);
});

afterEach(() => cleanup());

const MANIFESTS = {
  manifests: [
    { manifest: { type: 'echo', command: 'node', args: [], config: {} }, source: 'builtin', file: 'echo.json' },
    { manifest: { type: 'claude-code', command: 'node', args: [], config: { engine: 'claude' } }, source: 'builtin', file: 'claude-code.json' },
  ],
  problems: [],
};

describe('Start panel for coding agents', () => {
  it('asks for a workspace only for coding manifests, shows the core’s WorkspaceInvalid at the field and starts nothing', async () => {
    const core = fakeCore();
    core.handle('manifests.list', () => MANIFESTS);
    core.handle('workspaces.validate', () => {
      throw { name: 'WorkspaceInvalid', message: '/tmp/nothing is not a git repository' };
    });
    await attachApi(core.api, 'bridge');
    render(<StartPanel />);
    await waitFor(() => expect(screen.getByTestId('start-type').querySelectorAll('option')).toHaveLength(2));
    expect(screen.queryByTestId('start-workspace')).toBeNull();
    // Electron's picker is absent in the browser UI.
    fireEvent.change(screen.getByTestId('start-type'), { target: { value: 'claude-code' } });
    expect(screen.queryByTestId('start-pick-folder')).toBeNull();

    const field = screen.getByTestId('start-workspace');
    fireEvent.change(field, { target: { value: '/tmp/nothing' } });
    fireEvent.blur(field);
    const error = await screen.findByTestId('error-workspace');
    expect(error.textContent).toBe('/tmp/nothing is not a git repository');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toBe(error.id);

    fireEvent.click(screen.getByTestId('start-submit'));
    await waitFor(() => expect(core.calls.filter((c) => c.call === 'workspaces.validate')).toHaveLength(2));
    expect(core.calls.some((c) => c.call === 'agents.start')).toBe(false);
  });

  it('starts a coding agent on the repository root the core found, with the isolation chosen (a picker where the host has one)', async () => {
    const core = fakeCore();
    core.handle('manifests.list', () => MANIFESTS);
    core.handle('workspaces.validate', () => ({ root: '/home/ada/repo', branch: 'main', head: 'abc123' }));
    core.handle('agents.start', () => agent({ name: 'claude-code', type: 'claude-code', ownership: 'user' }));
    window.switchyardHost = { pickFolder: () => Promise.resolve('/home/ada/repo/src') };
    try {
      await attachApi(core.api, 'bridge');
      render(<StartPanel />);
      await waitFor(() => expect(screen.getByTestId('start-type').querySelectorAll('option')).toHaveLength(2));
      fireEvent.change(screen.getByTestId('start-type'), { target: { value: 'claude-code' } });
      fireEvent.click(screen.getByTestId('start-pick-folder'));
      await screen.findByTestId('workspace-ok');
      expect((screen.getByTestId('start-workspace') as HTMLInputElement).value).toBe('/home/ada/repo/src');
      fireEvent.change(screen.getByTestId('start-isolation'), { target: { value: 'worktree' } });
      fireEvent.click(screen.getByTestId('start-submit'));
      await screen.findByTestId('start-result');
      expect(core.calls.find((c) => c.call === 'agents.start')?.input).toEqual({
        type: 'claude-code',
        workspace: '/home/ada/repo',
        isolation: 'worktree',
      });
    } finally {
      delete window.switchyardHost;
    }
  });
});

const WORKTREE: WorktreeInfo = {
  path: '/repo/.sy/t1',
  branch: 'sy/coder/t1',
  agent: 'coder',
  taskId: 't1',
  base: 'a'.repeat(40),
  head: 'b'.repeat(40),
  commits: 2,
  dirty: true,
};

const PATCH = ['diff --git a/hello.txt b/hello.txt', '--- a/hello.txt', '+++ b/hello.txt', '@@ -1,2 +1,2 @@', ' same', '-old line', '+new line'].join('\n');

describe('Worktrees panel', () => {
  async function withWorktrees(): Promise<ReturnType<typeof fakeCore>> {
    const core = fakeCore();
    core.handle('worktrees.list', () => [WORKTREE]);
    core.handle('worktrees.diff', () => ({
      branch: WORKTREE.branch,
      base: WORKTREE.base,
      files: [
        { path: 'hello.txt', status: 'modified', additions: 1, deletions: 1 },
        { path: 'src/new.ts', status: 'added', additions: 12, deletions: 0 },
      ],
      patch: PATCH,
      truncated: false,
    }));
    await attachApi(core.api, 'bridge');
    render(<WorktreesPanel agent="coder" workspace="/repo" />);
    await screen.findByTestId('worktree');
    return core;
  }

  it('lists branches with commits and dirty state, and shows the diff with files, counts and coloured lines', async () => {
    const core = await withWorktrees();
    expect(core.calls.find((c) => c.call === 'worktrees.list')?.input).toEqual({ workspace: '/repo', agent: 'coder' });
    const row = screen.getByTestId('worktree');
    expect(row.dataset.branch).toBe('sy/coder/t1');
    expect(within(row).getByTestId('worktree-commits').textContent).toBe('2 commits');
    expect(within(row).getByText('uncommitted changes')).toBeTruthy();

    fireEvent.click(within(row).getByTestId('worktree-diff'));
    const files = await screen.findAllByTestId('diff-file');
    expect(files.map((f) => f.dataset.path)).toEqual(['hello.txt', 'src/new.ts']);
    expect(files[1]!.textContent).toContain('+12');
    expect(files[1]!.textContent).toContain('−0');
    const patch = screen.getByTestId('diff-patch');
    expect(patch.querySelector('.diff__line--add')?.textContent).toBe('+new line\n');
    expect(patch.querySelector('.diff__line--del')?.textContent).toBe('-old line\n');
    expect(patch.querySelectorAll('.diff__line--file')).toHaveLength(3);
  });

  it('says a merge conflict plainly with its files, and discards only after a confirmation', async () => {
    const core = await withWorktrees();
    core.handle('worktrees.merge', () => ({ merged: false, conflicts: ['hello.txt', 'src/a.ts'], message: 'CONFLICT (content): Merge conflict in hello.txt' }));
    core.handle('worktrees.discard', () => ({ removed: true }));
    fireEvent.click(screen.getByTestId('worktree-merge'));
    const result = await screen.findByTestId('merge-result');
    expect(result.dataset.merged).toBe('false');
    expect(result.textContent).toContain("2 files conflict with the workspace's branch, so the merge was not made");
    expect([...within(result).getByTestId('merge-conflicts').querySelectorAll('li')].map((li) => li.textContent)).toEqual(['hello.txt', 'src/a.ts']);

    fireEvent.click(screen.getByTestId('worktree-discard'));
    expect(screen.getByTestId('discard-confirm').textContent).toContain('Discard sy/coder/t1 and its 2 commits, with its uncommitted changes?');
    fireEvent.click(screen.getByTestId('discard-no'));
    expect(core.calls.some((c) => c.call === 'worktrees.discard')).toBe(false);
    fireEvent.click(screen.getByTestId('worktree-discard'));
    fireEvent.click(screen.getByTestId('discard-yes'));
    await waitFor(() => expect(core.calls.filter((c) => c.call === 'worktrees.list')).toHaveLength(2));
    expect(core.calls.find((c) => c.call === 'worktrees.discard')?.input).toEqual({ workspace: '/repo', branch: 'sy/coder/t1' });
  });

  it('reads diff lines by their first characters', () => {
    expect(['+++ b/x', '--- a/x', '@@ -1 +1 @@', '+x', '-x', ' x'].map(diffLineKind)).toEqual(['file', 'file', 'hunk', 'add', 'del', 'context']);
  });
});

describe('Cost column', () => {
  it('shows each agent’s cost from usage.summary and follows usage.changed', async () => {
    const core = fakeCore({ agents: [agent({ name: 'coder', ownership: 'user' }), agent({ name: 'echo', ownership: 'user' })] });
    core.handle('usage.summary', () => ({ ...EMPTY_USAGE, byAgent: [{ agent: 'coder', repo: 'demo', ...totals({ costUsd: 0.0123 }) }] }));
    await attachApi(core.api, 'bridge');
    await waitFor(() => expect(core.calls.some((c) => c.call === 'usage.summary')).toBe(true));
    await act(async () => {
      await Promise.resolve();
      frames.frame();
    });
    render(<AgentsView />);
    const cost = (name: string): string => {
      const row = screen.getAllByTestId('agent-row').find((r) => r.dataset.agent === `demo/${name}`)!;
      return within(row).queryByTestId('agent-cost')?.textContent ?? 'none';
    };
    expect(screen.getByRole('columnheader', { name: 'Cost' })).toBeTruthy();
    expect(cost('coder')).toBe('$0.0123');
    expect(cost('echo')).toBe('none');
    core.emit('usage.changed', { agent: 'echo', repo: 'demo', totals: totals({ costUsd: 1.5 }) });
    act(() => frames.frame());
    expect(cost('echo')).toBe('$1.50');
  });
});
