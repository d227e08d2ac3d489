/**
 * The other views end to end: Agents with real local agents, the Routes and Traces
 * empty states, and the screens shown when the core cannot be reached. The real
 * renderer in Debian's Chromium against the headless host.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectBridge } from '../../src/shared/bridge-client.js';
import type { BridgeConnection } from '../../src/shared/bridge-client.js';
import { launchChromium } from './helpers/browser.js';
import type { HeadlessHandle } from './helpers/headless.js';
import { startHeadless } from './helpers/headless.js';

const SCREENSHOTS = 'test-results/screenshots';

let host: HeadlessHandle;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The shipped example agents are found by the built host itself.
  [host, browser] = await Promise.all([startHeadless(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterEach(async () => {
  await page?.close();
});

/** A second client of the same core, as the CLI would be. */
async function bridgeClient(of: HeadlessHandle): Promise<BridgeConnection> {
  const socket = new WebSocket(`${of.origin.replace(/^http/, 'ws')}/bridge?token=${of.token}`, { origin: of.origin });
  return connectBridge(socket as unknown as Parameters<typeof connectBridge>[0]);
}

async function screenshot(name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('Agents', () => {
  it('says what to do when there are no agents, then shows started ones in their bands, live', async () => {
    await page.goto(host.url);
    const empty = page.getByTestId('agents-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('Start a local agent from a manifest, or enable hybrid mode in Settings');
    await screenshot('agents-empty');

    // Started by another client: the page learns of them only through agents.changed.
    const client = await bridgeClient(host);
    try {
      await client.api.agents.start({ type: 'workspace' });
      await client.api.agents.start({ type: 'echo', name: 'echo-1' });
      await client.api.agents.start({ type: 'echo', name: 'echo-2' });
    } finally {
      client.close();
    }

    const mine = page.getByTestId('band-user');
    await mine.getByTestId('agent-row').first().waitFor();
    expect(await mine.getByTestId('agent-row').count()).toBe(1);
    expect(await mine.getByText('this laptop').count()).toBe(1);
    const workers = page.getByTestId('band-task');
    await expect.poll(() => workers.getByTestId('agent-row').count()).toBe(2);
    expect(await page.getByTestId('band-repo').getByText('None.').count()).toBe(1);
    await expect
      .poll(() => page.locator('[data-testid="agent-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))))
      .not.toContain('terminated');
    expect(await page.getByTestId('nav-agents').textContent()).toBe('Agents3');

    // Search and filter.
    await page.getByLabel('Search agents').fill('echo-2');
    await expect.poll(() => page.getByTestId('agent-row').count()).toBe(1);
    expect(await page.getByTestId('agents-count').textContent()).toBe('1 of 3 agents');
    await page.getByLabel('Search agents').fill('');
    await page.getByLabel('Location').selectOption('remote');
    await page.getByTestId('agents-no-match').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.getByTestId('agent-row').count()).toBe(3);

    await screenshot('agents');
  });
});

describe('Routes and Traces', () => {
  it('explain what will appear there', async () => {
    await page.goto(host.url);
    await page.getByRole('link', { name: 'Routes' }).click();
    expect(await page.getByTestId('routes-empty').textContent()).toMatch(/No routes yet/);
    expect(page.url()).toContain('#/routes');
    await screenshot('routes');

    await page.getByRole('link', { name: 'Traces' }).click();
    expect(await page.getByTestId('traces-empty').textContent()).toMatch(/No traces yet/);
    await screenshot('traces');
  });
});

describe('Reaching the core', () => {
  it('explains a page opened without its token', async () => {
    await page.goto(host.origin);
    const screen = page.getByTestId('bridge-screen');
    await screen.waitFor();
    expect(await screen.getAttribute('data-state')).toBe('missing-token');
    expect(await screen.textContent()).toContain('needs its access token');
    await screenshot('no-token');
  });

  it('explains a wrong token', async () => {
    await page.goto(`${host.origin}/?token=wrong`);
    const screen = page.getByTestId('bridge-screen');
    await expect.poll(() => screen.getAttribute('data-state')).toBe('down');
    expect(await screen.textContent()).toContain('Cannot reach the Switchyard core');
  });

  it('shows the core as unreachable when the host goes away, keeping the last state', async () => {
    const doomed = await startHeadless();
    try {
      await page.goto(doomed.url);
      await page.getByTestId('agents-empty').waitFor();
      await doomed.stop({ keepData: true });
      const banner = page.getByTestId('bridge-banner');
      await banner.waitFor();
      expect(await banner.textContent()).toContain('Switchyard core unreachable');
      await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toBe('Core unreachable');
      // The last state stays on screen under the banner.
      expect(await page.getByTestId('agents-empty').count()).toBe(1);
      await screenshot('core-unreachable');
    } finally {
      await doomed.stop();
    }
  });
});
