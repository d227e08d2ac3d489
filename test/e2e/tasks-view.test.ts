/**
 * The work model's views end to end: the Tasks board, the Context view and an agent's
 * metrics, in Debian's Chromium against the headless host with real local agents. Each
 * test saves its view to test-results/screenshots/ (scripts/screenshots.mjs copies them
 * to docs/images/).
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectBridge } from '../../src/shared/bridge-client.js';
import type { BridgeConnection } from '../../src/shared/bridge-client.js';
import type { HeadlessHandle } from './helpers/headless.js';
import { SCREENSHOTS, usePagePerTest } from './helpers/page-per-test.js';

const fixture = usePagePerTest({ width: 1400, height: 900 });
/** The page's window as far as these tests use it (the node tsconfig has no DOM lib). */
interface BrowserWindow {
  getComputedStyle(element: unknown): { backgroundColor: string };
}
/** expect.poll waits 1 s by default; the machine these run on is shared and can be slower. */
const POLL = { timeout: 15_000 };

/** A second client of the same core, as the CLI would be. */
async function bridgeClient(of: HeadlessHandle): Promise<BridgeConnection> {
  const socket = new WebSocket(`${of.origin.replace(/^http/, 'ws')}/bridge?token=${of.token}`, { origin: of.origin });
  return connectBridge(socket as unknown as Parameters<typeof connectBridge>[0]);
}

describe('Tasks view', () => {
  it('creates a task for a role from the form; a task another client creates appears live and moves on the board', async () => {
    const client = await bridgeClient(fixture.host);
    try {
      await client.api.agents.start({ type: 'echo', name: 'echo-1' });
      await fixture.page.goto(`${fixture.host.url}#/tasks`);
      await fixture.page.getByTestId('tasks-empty').waitFor();

      await fixture.page.getByTestId('open-new-task').click();
      await fixture.page.getByLabel('Title', { exact: true }).fill('Say hello');
      await fixture.page.getByLabel('For', { exact: true }).fill('type:echo');
      await fixture.page.getByTestId('task-create').click();
      await fixture.page.getByTestId('task-created').waitFor();
      const detail = fixture.page.getByTestId('task-detail');
      await detail.waitFor();
      expect(await detail.getByTestId('task-assignee').textContent()).toBe('echo-1');
      // Its messages' traces, and one opens in the inspector.
      await detail.getByTestId('task-trace').first().waitFor();
      await detail.getByTestId('task-trace').first().click();
      await fixture.page.getByTestId('view-traces').waitFor();

      // The echo agent answers at once: another client's task lands in Complete.
      const other = await client.api.tasks.create({ title: 'From the CLI', body: 'hi', to: 'echo-1' });
      await fixture.page.getByTestId('nav-tasks').click();
      await fixture.page.getByTestId('task-column-complete').locator(`[data-testid="task-card"][data-task="${other.id}"]`).waitFor();

      // A role nobody runs keeps its task queued in Init (docs/tasks.md); cancelling it fails it.
      const queued = await client.api.tasks.create({ title: 'Waits for a reviewer', body: 'look', to: 'type:reviewer' });
      expect(queued.assignedTo).toBeNull();
      await fixture.page.getByTestId('task-column-init').locator(`[data-task="${queued.id}"]`).waitFor();
      const cancelled = await client.api.tasks.cancel({ id: queued.id });
      expect(cancelled.error?.name).toBe('Cancelled');
      await fixture.page.getByTestId('task-column-failed').locator(`[data-task="${queued.id}"]`).waitFor();

      // One more left queued, so the picture shows a task in every phase it can reach here.
      const waiting = await client.api.tasks.create({ title: 'Review the parser', body: 'src/cli', to: 'type:reviewer' });
      await fixture.page.getByTestId('task-column-init').locator(`[data-task="${waiting.id}"]`).waitFor();
      await fixture.page.screenshot({ path: `${SCREENSHOTS}/tasks-board.png` });
    } finally {
      client.close();
    }
  });

  it('a task that cannot be dispatched says why', async () => {
    await fixture.page.goto(`${fixture.host.url}#/tasks`);
    await fixture.page.getByTestId('open-new-task').click();
    await fixture.page.getByLabel('Title', { exact: true }).fill('Nobody home');
    await fixture.page.getByLabel('For', { exact: true }).fill('no such agent!');
    await fixture.page.getByTestId('task-create').click();
    const error = fixture.page.getByTestId('task-create-error');
    await error.waitFor();
    expect(await error.getAttribute('data-error-name')).toBe('ValidationError');
  });
});

describe('Context view', () => {
  it('sets a shared key from the form, shows another client’s write live, and says a refused write plainly', async () => {
    await fixture.page.goto(`${fixture.host.url}#/context`);
    await fixture.page.getByTestId('context-empty').waitFor();
    await fixture.page.getByTestId('open-context-form').click();
    await fixture.page.getByLabel('Key', { exact: true }).fill('shared/notes');
    await fixture.page.getByLabel(/^Value/).fill('{"step": 1}');
    await fixture.page.getByTestId('context-set').click();
    await fixture.page.locator('[data-testid="context-row"][data-key="shared/notes"]').waitFor();

    const client = await bridgeClient(fixture.host);
    try {
      await client.api.context.set({ key: 'shared/plan', value: 'ship friday' });
    } finally {
      client.close();
    }
    await fixture.page.locator('[data-testid="context-row"][data-key="shared/plan"]').waitFor();

    await fixture.page.getByLabel('Key', { exact: true }).fill('agent/someone-else/notes');
    await fixture.page.getByTestId('context-set').click();
    const refused = fixture.page.getByTestId('context-write-error');
    await refused.waitFor();
    expect(await refused.getAttribute('data-error-name')).toBe('ContextWriteDenied');

    await fixture.page.getByRole('button', { name: 'shared/notes' }).click();
    await fixture.page.getByTestId('context-revisions').locator('li').first().waitFor();
    await fixture.page.screenshot({ path: `${SCREENSHOTS}/context.png` });
  });
});

describe('Agent metrics', () => {
  it('shows an agent’s metrics over a chosen window', async () => {
    const client = await bridgeClient(fixture.host);
    try {
      await client.api.agents.start({ type: 'echo', name: 'echo-m' });
      // One task done by it, so its metrics count something.
      const task = await client.api.tasks.create({ title: 'Count me', body: 'one', to: 'echo-m' });
      await expect.poll(async () => (await client.api.tasks.get({ id: task.id }))?.phase, POLL).toBe('complete');
    } finally {
      client.close();
    }
    await fixture.page.goto(`${fixture.host.url}#/agents`);
    const row = fixture.page.locator('[data-testid="agent-row"]', { hasText: 'echo-m' });
    await row.getByRole('button', { name: 'Open' }).click();
    await fixture.page.getByTestId('agent-tab-metrics').click();
    await fixture.page.getByTestId('metrics-facts').waitFor();
    await fixture.page.getByRole('radio', { name: 'Last hour' }).click();
    await expect.poll(() => fixture.page.getByTestId('metrics-facts').getAttribute('data-window'), POLL).toBe('1h');
    await expect.poll(() => fixture.page.getByTestId('metrics-completed').textContent(), POLL).toBe('1');
    // The chosen window is visibly the chosen one.
    const chip = (w: string): Promise<string> =>
      fixture.page.getByTestId(`metrics-window-${w}`).evaluate((el) => (globalThis as unknown as BrowserWindow).getComputedStyle(el).backgroundColor);
    expect(await chip('1h')).not.toBe(await chip('24h'));
    await fixture.page.screenshot({ path: `${SCREENSHOTS}/agent-metrics.png` });
  });
});

describe('Repo switcher', () => {
  it('appears with several repos in the config and filters the Tasks board to one repo', async () => {
    const client = await bridgeClient(fixture.host);
    try {
      const { apiTokenSet: _set, apiTokenFromEnvironment: _env, ...config } = await client.api.config.get();
      await client.api.config.set({ config: { ...config, repos: ['web', 'api'] } });
      await client.api.tasks.create({ title: 'Fix the login page', body: 'web', to: 'type:designer', repo: 'web' });
    } finally {
      client.close();
    }
    await fixture.page.goto(`${fixture.host.url}#/tasks`);
    const switcher = fixture.page.getByTestId('repo-switcher');
    await switcher.waitFor();
    const options = await switcher.locator('option').allTextContents();
    expect(options.join(' ')).toMatch(/web/);
    expect(options.join(' ')).toMatch(/api/);
    await switcher.selectOption('web');
    await fixture.page.locator('[data-testid="task-card"]', { hasText: 'Fix the login page' }).waitFor();
    await expect.poll(() => fixture.page.locator('[data-testid="task-card"]', { hasText: 'Say hello' }).count(), POLL).toBe(0);
    await fixture.page.screenshot({ path: `${SCREENSHOTS}/repo-switcher.png` });
  });
});
