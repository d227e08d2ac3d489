/**
 * Settings end to end: the real renderer in Debian's Chromium against the real core,
 * through the headless host's WebSocket bridge.
 */
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS, usePagePerTest } from './helpers/page-per-test.js';

const fixture = usePagePerTest({ width: 1280, height: 1000 });

async function openSettings(): Promise<void> {
  await fixture.page.goto(fixture.host.url);
  await fixture.page.getByRole('link', { name: 'Settings' }).click();
  await fixture.page.getByTestId('settings-form').waitFor();
}

async function reloadSettings(): Promise<void> {
  await fixture.page.reload();
  await fixture.page.getByTestId('settings-form').waitFor();
}

const field = (label: string) => fixture.page.getByLabel(label, { exact: true });

describe('Settings', () => {
  it('keeps a hybrid config change across a reload', async () => {
    await openSettings();
    await expect.poll(() => fixture.page.getByTestId('connection-indicator').textContent()).toBe('Local only');
    expect(await fixture.page.getByTestId('token-status').textContent()).toBe('not set');

    await field('Enable hybrid mode').check();
    await field('Coordination URL').fill('wss://nats.example.com:443');
    await field('Repository').fill('web-app');
    await field('Local agent types').fill('workspace, review');
    await field('Remote agent types').fill('supervisor merge-queue, worker');
    await field('Fall back to a local agent when the remote one is unreachable').check();
    await field('API token').fill('e2e-secret-token');
    await fixture.page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => fixture.page.getByTestId('settings-status').textContent()).toBe('Saved.');

    await reloadSettings();
    // The URL keeps the view in its hash, so the reload comes back to Settings.
    expect(fixture.page.url()).toContain('#/settings');
    expect(await field('Enable hybrid mode').isChecked()).toBe(true);
    expect(await field('Coordination URL').inputValue()).toBe('wss://nats.example.com:443');
    expect(await field('Repository').inputValue()).toBe('web-app');
    expect(await field('Local agent types').inputValue()).toBe('workspace, review');
    expect(await field('Remote agent types').inputValue()).toBe('supervisor, merge-queue, worker');
    expect(await field('Fall back to a local agent when the remote one is unreachable').isChecked()).toBe(true);
    // The token is write-only: the page learns only that one is set.
    expect(await fixture.page.getByTestId('token-status').textContent()).toBe('set');
    expect(await field('API token').inputValue()).toBe('');
    expect(await fixture.page.content()).not.toContain('e2e-secret-token');
    // Hybrid is on: the indicator no longer says "Local only".
    await expect.poll(() => fixture.page.getByTestId('connection-indicator').getAttribute('data-phase')).not.toBe('disabled');
    expect(await fixture.page.getByTestId('connection-server').textContent()).toContain('nats.example.com');
    await fixture.page.getByRole('banner').getByText('web-app').waitFor();

    await fixture.page.screenshot({ path: `${SCREENSHOTS}/settings.png`, fullPage: true });
    await fixture.page.emulateMedia({ colorScheme: 'dark' });
    await fixture.page.screenshot({ path: `${SCREENSHOTS}/settings-dark.png`, fullPage: true });
  });

  it('shows a field error for a bad coordination URL and saves nothing', async () => {
    await openSettings();
    const before = await field('Coordination URL').inputValue();
    const repoBefore = await field('Repository').inputValue();

    await field('Coordination URL').fill('http://nats.example.com');
    await field('Repository').fill('changed-but-not-saved');
    await fixture.page.getByRole('button', { name: 'Save' }).click();

    const error = fixture.page.getByTestId('error-coordinationUrl');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/ws:\/\/ or wss:\/\//);
    expect(await field('Coordination URL').getAttribute('aria-invalid')).toBe('true');
    expect(await fixture.page.getByTestId('settings-status').textContent()).toMatch(/Not saved/);
    await fixture.page.screenshot({ path: `${SCREENSHOTS}/settings-error.png`, fullPage: true });

    await reloadSettings();
    expect(await field('Coordination URL').inputValue()).toBe(before);
    expect(await field('Repository').inputValue()).toBe(repoBefore);
    expect(await fixture.page.getByTestId('error-coordinationUrl').count()).toBe(0);
  });

  it('asks for a URL when hybrid mode is switched on without one, and saves nothing', async () => {
    await openSettings();
    const before = await field('Coordination URL').inputValue();
    await field('Coordination URL').fill('');
    const enabled = field('Enable hybrid mode');
    if (!(await enabled.isChecked())) await enabled.check();
    await fixture.page.getByRole('button', { name: 'Save' }).click();
    expect(await fixture.page.getByTestId('error-coordinationUrl').textContent()).toMatch(/needs the coordination service URL/);
    await reloadSettings();
    expect(await field('Coordination URL').inputValue()).toBe(before);
  });

  it('replaces and clears the API token', async () => {
    await openSettings();
    await field('API token').fill('another-token');
    await fixture.page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => fixture.page.getByTestId('token-status').textContent()).toBe('set');
    await fixture.page.getByRole('button', { name: 'Clear token' }).click();
    await fixture.page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => fixture.page.getByTestId('token-status').textContent()).toBe('not set');
    await reloadSettings();
    expect(await fixture.page.getByTestId('token-status').textContent()).toBe('not set');
  });
});
