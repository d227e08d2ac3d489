/**
 * Settings end to end: the real renderer in Debian's Chromium against the real core,
 * through the headless host's WebSocket bridge.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser.js';
import type { HeadlessHandle } from './helpers/headless.js';
import { startHeadless } from './helpers/headless.js';

const SCREENSHOTS = 'test-results/screenshots';

let host: HeadlessHandle;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [host, browser] = await Promise.all([startHeadless(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
});

afterEach(async () => {
  await page?.close();
});

async function openSettings(): Promise<void> {
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByTestId('settings-form').waitFor();
}

async function reloadSettings(): Promise<void> {
  await page.reload();
  await page.getByTestId('settings-form').waitFor();
}

const field = (label: string) => page.getByLabel(label, { exact: true });

describe('Settings', () => {
  it('keeps a hybrid config change across a reload', async () => {
    await openSettings();
    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toBe('Local only');
    expect(await page.getByTestId('token-status').textContent()).toBe('not set');

    await field('Enable hybrid mode').check();
    await field('Coordination URL').fill('wss://nats.example.com:443');
    await field('Repository').fill('web-app');
    await field('Local agent types').fill('workspace, review');
    await field('Remote agent types').fill('supervisor merge-queue, worker');
    await field('Fall back to a local agent when the remote one is unreachable').check();
    await field('API token').fill('e2e-secret-token');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('settings-status').textContent()).toBe('Saved.');

    await reloadSettings();
    // The URL keeps the view in its hash, so the reload comes back to Settings.
    expect(page.url()).toContain('#/settings');
    expect(await field('Enable hybrid mode').isChecked()).toBe(true);
    expect(await field('Coordination URL').inputValue()).toBe('wss://nats.example.com:443');
    expect(await field('Repository').inputValue()).toBe('web-app');
    expect(await field('Local agent types').inputValue()).toBe('workspace, review');
    expect(await field('Remote agent types').inputValue()).toBe('supervisor, merge-queue, worker');
    expect(await field('Fall back to a local agent when the remote one is unreachable').isChecked()).toBe(true);
    // The token is write-only: the page learns only that one is set.
    expect(await page.getByTestId('token-status').textContent()).toBe('set');
    expect(await field('API token').inputValue()).toBe('');
    expect(await page.content()).not.toContain('e2e-secret-token');
    // Hybrid is on: the indicator no longer says "Local only".
    await expect.poll(() => page.getByTestId('connection-indicator').getAttribute('data-phase')).not.toBe('disabled');
    expect(await page.getByTestId('connection-server').textContent()).toContain('nats.example.com');
    await page.getByRole('banner').getByText('web-app').waitFor();

    await page.screenshot({ path: `${SCREENSHOTS}/settings.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SCREENSHOTS}/settings-dark.png`, fullPage: true });
  });

  it('shows a field error for a bad coordination URL and saves nothing', async () => {
    await openSettings();
    const before = await field('Coordination URL').inputValue();
    const repoBefore = await field('Repository').inputValue();

    await field('Coordination URL').fill('http://nats.example.com');
    await field('Repository').fill('changed-but-not-saved');
    await page.getByRole('button', { name: 'Save' }).click();

    const error = page.getByTestId('error-coordinationUrl');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/ws:\/\/ or wss:\/\//);
    expect(await field('Coordination URL').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('settings-status').textContent()).toMatch(/Not saved/);
    await page.screenshot({ path: `${SCREENSHOTS}/settings-error.png`, fullPage: true });

    await reloadSettings();
    expect(await field('Coordination URL').inputValue()).toBe(before);
    expect(await field('Repository').inputValue()).toBe(repoBefore);
    expect(await page.getByTestId('error-coordinationUrl').count()).toBe(0);
  });

  it('asks for a URL when hybrid mode is switched on without one, and saves nothing', async () => {
    await openSettings();
    const before = await field('Coordination URL').inputValue();
    await field('Coordination URL').fill('');
    const enabled = field('Enable hybrid mode');
    if (!(await enabled.isChecked())) await enabled.check();
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.getByTestId('error-coordinationUrl').textContent()).toMatch(/needs the coordination service URL/);
    await reloadSettings();
    expect(await field('Coordination URL').inputValue()).toBe(before);
  });

  it('replaces and clears the API token', async () => {
    await openSettings();
    await field('API token').fill('another-token');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('token-status').textContent()).toBe('set');
    await page.getByRole('button', { name: 'Clear token' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('token-status').textContent()).toBe('not set');
    await reloadSettings();
    expect(await page.getByTestId('token-status').textContent()).toBe('not set');
  });
});
