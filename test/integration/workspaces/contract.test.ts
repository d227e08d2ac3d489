/** The workspace calls through the core's contract, and agents.start on a workspace. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../src/shared/agent-protocol.js';
import type { WorktreeInfo } from '../../../src/shared/coding-contract.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
import { ensureTaskWorktree, openWorkspace } from '../../../src/core/workspaces/index.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDirsPerTest } from '../../helpers/temp-dir.js';
import type { TestCore } from '../agents/helpers.js';
import { startCore } from '../agents/helpers.js';
import { commitAll, gitIn, makeRepo, statusOf, write } from '../../helpers/git-fixture.js';

const REPORTER = fileURLToPath(new URL('./fixtures/config-reporter.mjs', import.meta.url));

describe('workspaces: contract calls', () => {
  const tempDir = tempDirsPerTest('sy-wsc-');
  let t: TestCore | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('validates, lists, diffs, merges and discards through call()', async () => {
    t = await startCore({ gateway: false });
    const root = makeRepo(tempDir());
    expect(await t.core.call('workspaces.validate', { path: root })).toEqual({
      ok: true,
      value: { root, branch: 'main', head: gitIn(root, 'rev-parse', 'HEAD') },
    });
    const ws = await openWorkspace(root);
    const done = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'done' });
    const dropped = await ensureTaskWorktree(ws, { agent: 'coder', taskId: 'dropped' });
    write(done.path, 'result.txt', 'the result\n');
    write(dropped.path, 'junk.txt', 'junk\n');
    commitAll(dropped.path, 'junk');

    const list = await t.core.call('worktrees.list', { workspace: root, agent: 'coder' });
    expect(list.ok && list.value).toMatchObject([
      { branch: 'sy/coder/done', dirty: true, commits: 0 },
      { branch: 'sy/coder/dropped', dirty: false, commits: 1 },
    ]);
    const diff = await t.core.call('worktrees.diff', { workspace: root, branch: 'sy/coder/done' });
    expect(diff.ok && diff.value).toMatchObject({ files: [{ path: 'result.txt', status: 'added', additions: 1, deletions: 0 }], truncated: false });

    const merged = await t.core.call('worktrees.merge', { workspace: root, branch: 'sy/coder/done' });
    expect(merged).toEqual({ ok: true, value: { merged: true, conflicts: [], message: 'merged sy/coder/done into main' } });
    expect(gitIn(root, 'show', 'HEAD:result.txt')).toBe('the result');

    expect(await t.core.call('worktrees.discard', { workspace: root, branch: 'sy/coder/dropped' })).toEqual({ ok: true, value: { removed: true } });
    const after = await t.core.call('worktrees.list', { workspace: root });
    expect(after.ok && (after.value as WorktreeInfo[]).map((w) => w.branch)).toEqual(['sy/coder/done']);
    expect(statusOf(root)).toBe('');
  });

  it('answers with typed errors: not a repository, no such task branch, not a task branch', async () => {
    t = await startCore({ gateway: false });
    const notRepo = await t.core.call('worktrees.list', { workspace: tempDir() });
    expect(notRepo).toMatchObject({ ok: false, error: { name: 'WorkspaceInvalid', message: expect.stringContaining('git init') } });
    const relative = await t.core.call('workspaces.validate', { path: 'relative/dir' });
    expect(relative).toMatchObject({ ok: false, error: { name: 'WorkspaceInvalid' } });
    const root = makeRepo(tempDir());
    const missing = await t.core.call('worktrees.diff', { workspace: root, branch: 'sy/coder/none' });
    expect(missing).toMatchObject({ ok: false, error: { name: 'WorktreeNotFound', message: expect.stringContaining('sy/coder/none') } });
    const notTask = await t.core.call('worktrees.discard', { workspace: root, branch: 'main' });
    expect(notTask).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
    expect(gitIn(root, 'branch', '--format=%(refname:short)')).toBe('main');
  });
});

describe('agents.start on a workspace', () => {
  const tempDir = tempDirsPerTest('sy-wsa-');
  let t: TestCore | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const configLogged = async (core: TestCore['core'], name: string, count = 1): Promise<Record<string, unknown>> => {
    const logs = await eventually(async () => {
      const result = await core.call('agents.logs', { name });
      const lines = result.ok ? (result.value as LogEntry[]).filter((e) => e.text.startsWith('config ')) : [];
      return lines.length >= count && lines;
    });
    return JSON.parse(logs[count - 1]!.text.slice('config '.length)) as Record<string, unknown>;
  };

  it('gives the agent the validated root and isolation in its config and metadata, and keeps them on restart', async () => {
    t = await startCore({ gateway: false });
    t.manifest({ type: 'reporter', command: process.execPath, args: [REPORTER], config: { engine: 'claude', model: 'm' } });
    const root = makeRepo(tempDir());
    write(root, 'src/x.txt', 'x\n');

    const started = await t.core.call('agents.start', { type: 'reporter', workspace: join(root, 'src'), isolation: 'worktree' });
    expect(started).toMatchObject({ ok: true, value: { name: 'reporter', metadata: { workspace: root, isolation: 'worktree' } } });
    expect(await configLogged(t.core, 'reporter')).toEqual({ engine: 'claude', model: 'm', workspace: root, isolation: 'worktree' });

    const restarted = await t.core.call('agents.restart', { name: 'reporter' });
    expect(restarted).toMatchObject({ ok: true, value: { metadata: { workspace: root, isolation: 'worktree' } } });
    expect(await configLogged(t.core, 'reporter', 2)).toEqual({ engine: 'claude', model: 'm', workspace: root, isolation: 'worktree' });
    const record = t.core.registry.get({ repo: 'default', name: 'reporter' });
    expect(record?.metadata).toMatchObject({ workspace: root, isolation: 'worktree' });
  });

  it('refuses a folder that is not a repository with WorkspaceInvalid and starts nothing', async () => {
    t = await startCore({ gateway: false });
    t.manifest({ type: 'reporter', command: process.execPath, args: [REPORTER] });
    const result = await t.core.call('agents.start', { type: 'reporter', workspace: tempDir() });
    expect(result).toMatchObject({ ok: false, error: { name: 'WorkspaceInvalid', message: expect.stringContaining('git init') } });
    expect(t.core.registry.get({ repo: 'default', name: 'reporter' })).toBeUndefined();
  });

  it('starts an agent without a workspace as before: no workspace in its config or metadata', async () => {
    t = await startCore({ gateway: false });
    t.manifest({ type: 'reporter', command: process.execPath, args: [REPORTER], config: { engine: 'codex' } });
    const started = await t.core.call('agents.start', { type: 'reporter' });
    expect(started.ok && (started.value as AgentInfo).metadata).not.toHaveProperty('workspace');
    expect(await configLogged(t.core, 'reporter')).toEqual({ engine: 'codex' });
  });

  it("names the desktop's person as the approver of its agents (SWITCHYARD_APPROVER)", async () => {
    t = await startCore({ gateway: false });
    t.manifest({ type: 'reporter', command: process.execPath, args: [REPORTER] });
    await t.core.call('agents.start', { type: 'reporter' });
    const core = t.core;
    const line = await eventually(async () => {
      const result = await core.call('agents.logs', { name: 'reporter' });
      return result.ok && (result.value as LogEntry[]).find((e) => e.text.startsWith('approver '));
    });
    expect(line.text).toBe('approver user');
  });
});
