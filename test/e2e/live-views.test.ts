/**
 * The live views end to end: start two echo agents from the UI, send a message between
 * them from the UI, and find it in Traces (with its hops) and in Routes (as an edge);
 * the row actions, the log tail, typed errors, and Settings' "Test connection" against
 * a real nats-server. The real renderer in Debian's Chromium against the headless host.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsServerHandle } from '../helpers/nats-server.js';
import { startNatsServer } from '../helpers/nats-server.js';
import { launchChromium } from './helpers/browser.js';
import type { HeadlessHandle } from './helpers/headless.js';
import { startHeadless } from './helpers/headless.js';

const SCREENSHOTS = 'test-results/screenshots';

let host: HeadlessHandle;
let browser: Browser;
let page: Page;
let nats: NatsServerHandle;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [host, browser, nats] = await Promise.all([startHeadless(), launchChromium(), startNatsServer()]);
  page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await nats?.dispose();
});

async function screenshot(name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });
}

async function startFromUi(type: string, name: string): Promise<void> {
  const panel = page.getByTestId('panel-start');
  // The button toggles the panel: open it only when it is not open already.
  if ((await panel.count()) === 0) await page.getByTestId('open-start').click();
  await panel.getByTestId('start-type').locator(`option[value="${type}"]`).waitFor({ state: 'attached' });
  await panel.getByTestId('start-type').selectOption(type);
  await panel.getByTestId('start-name').fill(name);
  await panel.getByTestId('start-submit').click();
  await expect.poll(() => panel.getByTestId('start-result').textContent().catch(() => '')).toContain(name);
}

describe('the live views', () => {
  it('start agents and send a message from the UI; see it in Traces with its hops and in Routes as an edge', async () => {
    await page.goto(host.url);
    await page.getByTestId('agents-empty').waitFor();

    await startFromUi('echo', 'echo-a');
    await startFromUi('echo', 'echo-b');
    await startFromUi('workspace', 'workspace');
    const row = (name: string) => page.locator(`[data-testid="agent-row"][data-agent$="/${name}"]`);
    await expect.poll(() => row('echo-a').getAttribute('data-supervision')).toBe('running');
    await expect.poll(() => row('echo-b').getAttribute('data-supervision')).toBe('running');
    expect(await row('echo-a').getByTestId('agent-restarts').textContent()).toBe('0');

    // echo-a → echo-b; echo-b answers echo-a with { echo }, which echo-a leaves be.
    await row('echo-b').getByTestId('agent-send').click();
    const send = page.getByTestId('panel-send');
    expect(await send.getByTestId('send-to').inputValue()).toBe('echo-b');
    await send.getByTestId('send-from').fill('echo-a');
    await send.getByTestId('send-kind').selectOption('task.assigned');
    await send.getByTestId('send-body').fill('{"task":"say hello","html":"<b>not bold</b>"}');
    await send.getByTestId('send-submit').click();
    await expect.poll(() => send.getByTestId('send-result').getAttribute('data-status').catch(() => null)).toBe('delivered');
    await screenshot('agents-live');

    // A typed error: a destination that does not exist.
    await send.getByTestId('send-to').fill('nobody-here');
    await send.getByTestId('send-submit').click();
    const error = send.getByTestId('call-error');
    await error.waitFor();
    expect(await error.getAttribute('data-error-name')).toBe('NoSuchAgent');
    expect(await error.textContent()).toContain('nobody-here');
    await screenshot('agents-send-error');

    // Traces: the message and the echo, newest first.
    await page.getByTestId('nav-traces').click();
    const trace = page.locator('[data-testid="trace-row"]', { hasText: 'echo-a→echo-b' });
    await trace.first().waitFor();
    expect(await trace.first().textContent()).toContain('task.assigned');
    // The refused one is traced too, as rejected.
    const refused = page.locator('[data-testid="trace-row"]', { hasText: 'echo-a→nobody-here' });
    expect(await refused.first().getAttribute('data-status')).toBe('rejected');
    await expect.poll(() => trace.first().getAttribute('data-status')).toBe('delivered');
    await expect
      .poll(() => page.locator('[data-testid="trace-row"]', { hasText: 'echo-b→echo-a' }).count())
      .toBeGreaterThanOrEqual(1);
    await trace.first().click();
    const inspector = page.getByTestId('trace-inspector');
    await inspector.getByTestId('hop').first().waitFor();
    const events = await inspector.getByTestId('hop').evaluateAll((hops) => hops.map((h) => h.getAttribute('data-event')));
    expect(events[0]).toBe('accepted');
    expect(events).toContain('delivered');
    expect(await inspector.getByTestId('hop').first().textContent()).toContain('+0 ms');
    expect(await inspector.getByTestId('route-info').textContent()).toContain('local');
    const body = inspector.getByTestId('trace-body');
    expect(await body.textContent()).toContain('<b>not bold</b>');
    // Rendered as text: no <b> element was created from the body.
    expect(await body.locator('b').count()).toBe(0);
    await screenshot('traces-live');

    // Filters: by agent and status.
    await page.getByTestId('trace-filter-kind').selectOption('text');
    await expect.poll(() => page.getByTestId('trace-row').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('trace-row').first().textContent()).toContain('echo-b→echo-a');
    await page.getByTestId('trace-filter-kind').selectOption('');

    // Routes: an edge echo-a → echo-b in the local lane; clicking it lists its messages.
    await page.getByTestId('nav-routes').click();
    const edge = page.locator('[data-testid="route-edge"][data-edge$="/echo-a→default/echo-b"]');
    await edge.waitFor();
    expect(await edge.getAttribute('data-style')).toBe('local');
    expect(await edge.getAttribute('data-count')).toBe('1');
    expect(await page.locator('[data-testid="route-node"][data-agent$="/echo-a"]').count()).toBe(1);
    await edge.click();
    const panel = page.getByTestId('edge-panel');
    await panel.waitFor();
    expect(await panel.getByTestId('edge-message').count()).toBe(1);
    expect(await panel.getByTestId('edge-message').first().textContent()).toContain('task.assigned');
    await screenshot('routes-live');
    // The list opens the message in Traces.
    await panel.getByTestId('edge-message').first().click();
    await page.getByTestId('trace-inspector').waitFor();
    expect(page.url()).toContain('#/traces');
  });

  it('shows the log tail, stops and starts a supervised agent, and spawns a worker', async () => {
    await page.getByTestId('nav-agents').click();
    const row = page.locator('[data-testid="agent-row"][data-agent$="/echo-b"]');
    await row.getByTestId('agent-logs').click();
    const logs = page.getByTestId('panel-logs');
    await expect.poll(() => logs.getByTestId('log-tail').locator('li').count()).toBeGreaterThan(0);

    await row.getByTestId('agent-stop').click();
    await expect.poll(() => row.getAttribute('data-supervision')).toBe('stopped');
    expect(await row.getByTestId('supervision-note').textContent()).toBe('stopped');
    expect(await row.getByTestId('agent-restarts').textContent()).toContain('stopped');
    await screenshot('agents-logs');
    await row.getByTestId('agent-start-again').click();
    await expect.poll(() => row.getAttribute('data-supervision')).toBe('running');

    await page.getByTestId('open-spawn').click();
    const spawn = page.getByTestId('panel-spawn');
    await spawn.getByTestId('spawn-task').fill('index the repo');
    await spawn.getByTestId('spawn-type').fill('workspace');
    await spawn.getByTestId('spawn-submit').click();
    // Either a worker name or a typed error; both are shown, never swallowed.
    await expect
      .poll(async () => (await spawn.getByTestId('spawn-result').count()) + (await spawn.getByTestId('call-error').count()))
      .toBe(1);
  });

  it('tests a connection from Settings: the right token, then a wrong one', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByLabel('Coordination URL').fill(nats.wsUrl);
    await page.getByTestId('field-apiToken').fill(nats.token);
    await page.getByTestId('connection-test').click();
    const result = page.getByTestId('connection-test-result');
    await expect.poll(() => result.getAttribute('data-ok')).toBe('true');
    expect(await result.textContent()).toContain('Connected');
    expect(await result.textContent()).not.toContain(nats.token);
    await screenshot('settings-test-ok');

    await page.getByTestId('field-apiToken').fill('wrong-token-123');
    await page.getByTestId('connection-test').click();
    await expect.poll(() => result.getAttribute('data-ok')).toBe('false');
    expect((await result.textContent())?.toLowerCase()).toContain('authorization violation');
    expect(await result.textContent()).not.toContain('wrong-token-123');
    await screenshot('settings-test-failed');
  });
});
