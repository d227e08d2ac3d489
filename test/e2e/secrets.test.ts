/**
 * Secrets end to end, in Debian's Chromium against the headless host: the bridge token
 * leaves the address bar once read (and a reload still connects), Settings says when
 * SWITCHYARD_API_TOKEN overrides the token being saved, and an unencrypted ws:// URL to
 * another machine needs the user's explicit permission.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser.js';
import type { HeadlessHandle } from './helpers/headless.js';
import { startHeadless } from './helpers/headless.js';
import { SCREENSHOTS } from './helpers/page-per-test.js';

const ENV_TOKEN = 'env-token-never-shown-1';
let host: HeadlessHandle;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [host, browser] = await Promise.all([startHeadless({ env: { SWITCHYARD_API_TOKEN: ENV_TOKEN } }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
});
afterEach(async () => {
  await page?.close();
});

const field = (label: string) => page.getByLabel(label, { exact: true });

describe('secrets in the browser', () => {
  it('takes the bridge token out of the address bar, and a reload still connects', async () => {
    expect(host.url).toContain(host.token);
    await page.goto(`${host.url}#/settings`);
    await page.getByTestId('settings-form').waitFor();
    expect(await page.evaluate<string>('location.href')).not.toContain(host.token);
    expect(page.url()).toBe(`${host.origin}/#/settings`);

    await page.reload();
    await page.getByTestId('settings-form').waitFor();
    expect(page.url()).not.toContain(host.token);
  });

  it('says the environment variable overrides the token being saved, and never shows it', async () => {
    await page.goto(`${host.url}#/settings`);
    await page.getByTestId('settings-form').waitFor();
    expect(await page.getByTestId('token-status').textContent()).toBe('from environment');
    expect(await page.getByTestId('token-env-override').textContent()).toMatch(/SWITCHYARD_API_TOKEN is set and overrides the saved token/);

    await field('API token').fill('typed-in-settings');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('settings-status').textContent()).toBe('Saved.');
    expect(await page.getByTestId('token-env-override').isVisible()).toBe(true);
    expect(await page.content()).not.toContain(ENV_TOKEN);
  });

  it('refuses ws:// to another machine until unencrypted transport is allowed', async () => {
    await page.goto(`${host.url}#/settings`);
    await page.getByTestId('settings-form').waitFor();
    await field('Enable hybrid mode').check();
    await field('Coordination URL').fill('ws://nats.team.example:8080');
    await field('API token').fill('team-token-1');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.getByTestId('error-coordinationUrl').textContent()).toMatch(/unencrypted/);
    await page.screenshot({ path: `${SCREENSHOTS}/settings-secrets.png`, fullPage: true });

    await field('Allow unencrypted ws:// to other machines').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('settings-status').textContent()).toBe('Saved.');
    await page.reload();
    await page.getByTestId('settings-form').waitFor();
    expect(await field('Allow unencrypted ws:// to other machines').isChecked()).toBe(true);
    expect(await field('Coordination URL').inputValue()).toBe('ws://nats.team.example:8080');
  });
});
