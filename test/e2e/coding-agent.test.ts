/**
 * A coding agent end to end, as the person at the desktop sees it: the real Claude Code
 * CLI (.agent-clis) against the scripted model server, run by the built headless host,
 * driven from the real renderer in Debian's Chromium. Start it from the Start panel on a
 * git workspace with a worktree per task; send a task from its Conversation panel; watch
 * the text stream and the tool line; answer the approval in the Approvals inbox (with the
 * nav badge); read the result card (changed file, tokens, cost), the Cost column and the
 * task branch's diff in Worktrees.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBridge } from '../../src/shared/bridge-client.js';
import { AgentManifest } from '../../src/shared/manifest.js';
import type { ClaudeHome } from '../helpers/claude-home.js';
import { makeClaudeHome } from '../helpers/claude-home.js';
import { startAnthropicModelServer } from '../helpers/model-server/anthropic-messages.js';
import type { ScriptedModelServer } from '../helpers/model-server/server.js';
import { launchChromium } from './helpers/browser.js';
import type { HeadlessHandle } from './helpers/headless.js';
import { startHeadless } from './helpers/headless.js';
import { makeRepo } from '../helpers/git-fixture.js';

const SCREENSHOTS = 'test-results/screenshots';
const AGENT = 'coder';

let host: HeadlessHandle;
let browser: Browser;
let page: Page;
let server: ScriptedModelServer;
let home: ClaudeHome;
let workspace: string;

/** A git repository with one commit on main, like the one a developer points an agent at. */
function gitWorkspace(): string {
  return makeRepo(mkdtempSync(join(tmpdir(), 'sy-e2e-ws-')));
}

/** The shipped claude-code manifest as a user manifest: the pinned CLI, talking to the model server only. */
async function installManifest(): Promise<void> {
  const socket = new WebSocket(`${host.origin.replace(/^http/, 'ws')}/bridge?token=${host.token}`, { origin: host.origin });
  const bridge = await connectBridge(socket as unknown as Parameters<typeof connectBridge>[0]);
  try {
    const shipped = AgentManifest.parse(JSON.parse(readFileSync(resolve('resources/agents/claude-code.json'), 'utf8')));
    await bridge.api.manifests.install({
      replace: true,
      manifest: { ...shipped, args: [resolve('resources/agents/coding-agent.mjs')], env: home.env, config: { ...shipped.config, executable: home.cli } },
    });
  } finally {
    bridge.close();
  }
}

async function screenshot(name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  server = await startAnthropicModelServer();
  home = makeClaudeHome(server.url);
  workspace = gitWorkspace();
  [host, browser] = await Promise.all([startHeadless(), launchChromium()]);
  await installManifest();
  page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await server?.close();
  home?.remove();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe('a coding agent from the UI (real claude CLI, scripted model)', () => {
  it('starts on a workspace, streams a task, asks for approval in the inbox, and shows the result, its cost and its branch diff', async () => {
    await page.goto(host.url);
    await page.getByTestId('agents-empty').waitFor();

    // Start panel: the user's claude-code manifest, a workspace the core checks, a worktree per task.
    await page.getByTestId('open-start').click();
    const start = page.getByTestId('panel-start');
    await start.getByTestId('start-type').locator('option[value="claude-code"]').waitFor({ state: 'attached' });
    await start.getByTestId('start-type').selectOption('claude-code');
    await start.getByTestId('start-name').fill(AGENT);
    await start.getByLabel('Workspace').fill(workspace);
    await start.getByLabel('Each task runs').selectOption('worktree');
    await start.getByLabel('Workspace').blur();
    await start.getByText('git repository').getByText('main').waitFor();
    await start.getByRole('button', { name: 'Start', exact: true }).click();
    await start.getByTestId('start-result').getByText(AGENT).waitFor();
    const row = page.locator('[data-testid="agent-row"]', { hasText: AGENT });
    await expect.poll(() => row.getAttribute('data-supervision'), { timeout: 30_000 }).toBe('running');

    // The model answers with text, then a Write of hello.txt (relative: the task's worktree).
    server.script(
      {
        text: 'I will create hello.txt with a greeting for you.',
        deltaDelayMs: 40,
        toolCalls: [{ name: 'Write', id: 'toolu_e2e', input: { file_path: 'hello.txt', content: 'hello from the agent\n' } }],
        usage: { inputTokens: 1000, outputTokens: 40 },
      },
      { text: 'Created hello.txt.', usage: { inputTokens: 1200, outputTokens: 8 } },
    );

    // Its Conversation panel, and a task from the composer.
    await row.getByRole('button', { name: 'Open' }).click();
    const conversation = page.getByTestId('conversation');
    await conversation.getByText(`Send ${AGENT} a task below`).waitFor();
    await conversation.getByLabel(`Task for ${AGENT}`).fill('Add a hello.txt with a greeting');
    await conversation.getByRole('button', { name: 'Send' }).click();

    // The transcript streams: what the person sent, the task starting on its branch, the text, then the tool line.
    const transcript = conversation.getByRole('log');
    await transcript.getByText('Add a hello.txt with a greeting').waitFor();
    await transcript.getByTestId('task-started').getByText(`sy/${AGENT}/`).waitFor();
    await transcript.getByText('I will create hello.txt with a greeting for you.').waitFor({ timeout: 60_000 });
    const tool = transcript.getByTestId('tool-use').filter({ hasText: 'Write hello.txt' });
    await tool.waitFor({ timeout: 60_000 });
    // The tool's name once: its summary already starts with it.
    expect((await tool.locator('summary').innerText()).replace(/\s+/g, ' ').trim()).toBe('… Write hello.txt');
    const types = await transcript.getByTestId('transcript-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-type')));
    expect(types.indexOf('text')).toBeGreaterThan(types.indexOf('started'));
    expect(types.indexOf('tool')).toBeGreaterThan(types.indexOf('text'));

    // The approval waits in the conversation and in the inbox; the nav badge counts it.
    await transcript.getByTestId('approval').getByText('waiting for you').waitFor({ timeout: 60_000 });
    const badge = page.getByTestId('approvals-badge');
    await expect.poll(() => badge.textContent(), { timeout: 10_000 }).toBe('1');
    await screenshot('conversation-mid-task');

    await page.getByTestId('nav-approvals').click();
    const inbox = page.getByTestId('approval-list');
    const card = inbox.getByTestId('approval').filter({ hasText: 'Write hello.txt' });
    await card.getByText(AGENT, { exact: true }).waitFor();
    await card.getByText('waiting for you').waitFor();
    expect(await page.getByTestId('approvals-count').textContent()).toContain('1 waiting');
    await screenshot('approvals');
    await card.getByRole('button', { name: 'Allow', exact: true }).click();
    await card.getByText('allowed').waitFor();
    await badge.waitFor({ state: 'detached' });

    // Back in the conversation: the result card with the changed file, tokens and cost.
    await page.getByTestId('nav-agents').click();
    await row.getByRole('button', { name: 'Open' }).click();
    const result = page.getByTestId('conversation').getByTestId('task-completed');
    await result.waitFor({ timeout: 60_000 });
    // The answer streamed into the transcript; the card does not say it a second time.
    await expect.poll(() => page.getByTestId('conversation').getByText('Created hello.txt.', { exact: true }).count()).toBe(1);
    expect(await result.getByTestId('changed-files').textContent()).toBe('hello.txt');
    const usage = await result.getByTestId('task-usage').textContent();
    expect(usage).toContain('2.2k in');
    expect(usage).toContain('48 out');
    const cost = (await result.getByTestId('task-cost').textContent()) ?? '';
    expect(cost).toMatch(/^\$\d+\.\d+$/);
    // The facts read as a block next to each other, not spread over the card's width.
    const [facts, resultBox] = await Promise.all([result.getByTestId('task-usage').boundingBox(), result.boundingBox()]);
    const costAt = await result.getByTestId('task-cost').boundingBox();
    expect(costAt!.x + costAt!.width - facts!.x).toBeLessThan(resultBox!.width / 2);
    expect(await page.getByTestId('tool-use').filter({ hasText: 'Write hello.txt' }).getAttribute('data-state')).toBe('ok');
    // Opening it from its row scrolled the page down to the row: the picture starts at the top.
    await page.getByTestId('panel-agent').evaluate((panel) => {
      for (let element: typeof panel | null = panel; element; element = element.parentElement) element.scrollTop = 0;
    });
    await screenshot('conversation-finished');

    // The Agents view's Cost column shows what the task cost.
    await expect.poll(() => row.getByTestId('agent-cost').textContent().catch(() => null), { timeout: 10_000 }).toBe(cost);

    // Worktrees: the task's branch, and its diff shows the file.
    await page.getByTestId('agent-tab-worktrees').click();
    const worktree = page.getByTestId('worktree').filter({ hasText: `sy/${AGENT}/` });
    await worktree.waitFor();
    await worktree.getByRole('button', { name: 'Diff' }).click();
    const diff = worktree.getByTestId('diff');
    await diff.getByTestId('diff-file').filter({ hasText: 'hello.txt' }).waitFor();
    await diff.getByTestId('diff-patch').getByText('+hello from the agent').waitFor();
    // The file list keeps its columns together instead of spreading them over the panel.
    const [files, whole] = await Promise.all([diff.getByTestId('diff-files').boundingBox(), diff.boundingBox()]);
    expect(files!.width).toBeLessThan(whole!.width / 2);
    await screenshot('worktree-diff');
  });
});
