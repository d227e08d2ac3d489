/**
 * The demo topology end to end — a real nats-server, the real coordinator with the demo
 * team, the headless app in hybrid mode and a workspace agent on the local gateway —
 * driven in Debian's Chromium: bands and badges, a message sent from the UI traced and
 * drawn, and an outage: the indicator turns to reconnecting, the route to queued, and
 * the restart delivers. Saves a screenshot of every view in test-results/ (`npm run
 * screenshots` copies the Routes one to the README's picture; no test writes a tracked file).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoTopology } from '../../scripts/demo/topology.js';
import { DEMO_REPO, startDemoTopology } from '../../scripts/demo/topology.js';
import type { WorkspaceDriver } from '../../scripts/demo/workspace-driver.js';
import { startWorkspaceDriver } from '../../scripts/demo/workspace-driver.js';
import { launchChromium } from './helpers/browser.js';
import type { HeadlessHandle } from './helpers/headless.js';
import { startHeadless } from './helpers/headless.js';

const SCREENSHOTS = 'test-results/screenshots';
const WORKSPACE = 'ada-workspace';

let topology: DemoTopology;
let host: HeadlessHandle;
let driver: WorkspaceDriver;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  topology = await startDemoTopology();
  [host, browser] = await Promise.all([startHeadless({ dataDir: topology.dataDir }), launchChromium()]);
  // One scripted task at the start; the test sends the rest itself.
  driver = await startWorkspaceDriver(topology.dataDir, { everyMs: 3_600_000, name: WORKSPACE });
  page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
});

afterAll(async () => {
  driver?.stop();
  await browser?.close();
  await host?.stop({ keepData: true });
  await topology?.dispose();
});

const row = (name: string) => page.locator(`[data-testid="agent-row"][data-agent="${DEMO_REPO}/${name}"]`);
const indicatorPhase = () => page.getByTestId('connection-indicator').getAttribute('data-phase');

async function sendFromUi(to: string, task: string): Promise<string | null> {
  await row(to).getByTestId('agent-send').click();
  const send = page.getByTestId('panel-send');
  await send.getByTestId('send-from').fill(WORKSPACE);
  await send.getByTestId('send-kind').selectOption('task.assigned');
  await send.getByTestId('send-body').fill(JSON.stringify({ task }));
  const before = await send.getByTestId('send-result').textContent().catch(() => null);
  await send.getByTestId('send-submit').click();
  await expect
    .poll(async () => {
      const text = await send.getByTestId('send-result').textContent().catch(() => null);
      return text !== null && text !== before;
    })
    .toBe(true);
  return send.getByTestId('send-result').getAttribute('data-status');
}

describe('the demo topology', () => {
  it('shows team agents remote in the Team band and the workspace on this laptop in Mine', async () => {
    await page.goto(host.url);
    await expect.poll(indicatorPhase, { timeout: 30_000 }).toBe('connected');
    for (const name of ['supervisor', 'merge-queue', 'review']) {
      await row(name).waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('band-repo').locator(`[data-agent="${DEMO_REPO}/${name}"]`).count()).toBe(1);
      expect(await row(name).textContent()).toContain('remote');
    }
    await row(WORKSPACE).waitFor();
    expect(await page.getByTestId('band-user').locator(`[data-agent="${DEMO_REPO}/${WORKSPACE}"]`).count()).toBe(1);
    expect(await row(WORKSPACE).textContent()).toContain('this laptop');
    // The scripted first task reached the remote supervisor and came back.
    await expect.poll(() => driver.received.some((message) => message.from === 'supervisor'), { timeout: 30_000 }).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/demo-agents.png` });
  });

  it('traces a message sent from the UI and draws its route over NATS', async () => {
    expect(await sendFromUi('review', 'review the e2e change')).toBe('published');

    await page.getByTestId('nav-traces').click();
    const trace = page.locator('[data-testid="trace-row"]', { hasText: `${WORKSPACE}→review` });
    await trace.first().waitFor();
    await trace.first().click();
    const inspector = page.getByTestId('trace-inspector');
    await inspector.getByTestId('hop').first().waitFor();
    const events = await inspector.getByTestId('hop').evaluateAll((hops) => hops.map((hop) => hop.getAttribute('data-event')));
    expect(events[0]).toBe('accepted');
    expect(events).toContain('published');
    expect(await inspector.getByTestId('route-info').textContent()).toContain('nats');
    expect(await inspector.getByTestId('traceparent').textContent()).toMatch(/00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]/);
    // The reviewer's answer came back remote → local.
    await expect
      .poll(() => page.locator('[data-testid="trace-row"]', { hasText: `review→${WORKSPACE}` }).count(), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: `${SCREENSHOTS}/demo-traces.png` });

    await page.getByTestId('nav-routes').click();
    const edge = page.locator(`[data-testid="route-edge"][data-edge="${DEMO_REPO}/${WORKSPACE}→${DEMO_REPO}/review"]`);
    await edge.waitFor();
    expect(await edge.getAttribute('data-style')).toBe('nats');
  });

  it('runs the team flow on the Tasks view: the supervisor plans subtasks, task-workers complete them, the reviewer validates', async () => {
    await page.goto(host.url);
    await page.getByTestId('nav-tasks').click();
    await page.getByTestId('open-new-task').click();
    await page.getByTestId('task-title').fill('Ship the parser');
    await page.getByTestId('task-to').fill('supervisor');
    await page.getByTestId('task-validate-by').fill('type:review');
    await page.getByTestId('task-body').fill('write the parser\nadd tests for it\nupdate the docs');
    await page.getByTestId('task-create').click();
    const created = (await page.getByTestId('task-created').textContent()) ?? '';
    const parent = /Created (\S+)/.exec(created)?.[1];
    expect(parent).toBeTruthy();
    // The three subtasks appear under their parent, mirrored from the team's board, and complete.
    const complete = page.getByTestId('task-column-complete');
    for (const n of [1, 2, 3]) await complete.locator(`[data-task="${parent}-s${n}"]`).waitFor({ timeout: 60_000 });
    // The parent went through validation by the reviewer to complete.
    await complete.locator(`[data-task="${parent}"]`).waitFor({ timeout: 60_000 });
    // The new task is the one shown in the detail panel (the form selects it).
    const detail = page.getByTestId('task-detail');
    expect(await detail.getAttribute('data-task')).toBe(parent);
    await expect.poll(async () => (await detail.textContent()) ?? '', { timeout: 20_000 }).toMatch(/validating/i);
    await page.screenshot({ path: `${SCREENSHOTS}/demo-tasks.png` });
  });

  it('serves the team supervisor from a local stand-in during a NATS outage (fallback on), shows reconnecting, and fails back after the restart', async () => {
    await page.getByTestId('nav-agents').click();
    await topology.nats.stop();
    await expect.poll(indicatorPhase, { timeout: 20_000 }).toMatch(/reconnecting|disconnected/);
    // The demo has fallback on: with the team out of reach, a local stand-in takes the type's work (docs/routing.md).
    expect(await sendFromUi('supervisor', 'work through the outage')).toBe('delivered');
    await page.screenshot({ path: `${SCREENSHOTS}/demo-fallback.png` });

    await topology.nats.start();
    await expect.poll(indicatorPhase, { timeout: 30_000 }).toBe('connected');
    // Back: the next message fails back to the team's supervisor, which answers the workspace with what it accepted.
    expect(await sendFromUi('supervisor', 'back to the team')).toMatch(/published|delivered/);
    await page.getByTestId('nav-traces').click();
    const trace = page.locator('[data-testid="trace-row"]', { hasText: `${WORKSPACE}→supervisor` }).first();
    await expect.poll(() => trace.getAttribute('data-status'), { timeout: 30_000 }).toMatch(/published|delivered|received|answered/);
    await expect
      .poll(() => driver.received.some((message) => JSON.stringify(message.body).includes('back to the team')), { timeout: 30_000 })
      .toBe(true);
  });

  it('saves a screenshot of every view', async () => {
    // Each view is shown once its own content is on screen (views mount in a deferred render).
    const shown: Record<string, string> = { agents: 'agent-row', routes: 'route-edge', traces: 'traces-count', settings: 'connection-test' };
    for (const [view, testId] of Object.entries(shown)) {
      await page.getByTestId(`nav-${view}`).click();
      await page.getByTestId(testId).first().waitFor();
      await page.screenshot({ path: `${SCREENSHOTS}/demo-${view}.png` });
    }
  });
});
