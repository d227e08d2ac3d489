/**
 * The other views end to end: Agents with real local agents, the Routes and Traces
 * empty states, and the screens shown when the core cannot be reached. The real
 * renderer in Debian's Chromium against the headless host.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectBridge } from '../../src/shared/bridge-client.js';
import type { BridgeConnection } from '../../src/shared/bridge-client.js';
import type { HeadlessHandle } from './helpers/headless.js';
import { startHeadless } from './helpers/headless.js';
import { SCREENSHOTS, usePagePerTest } from './helpers/page-per-test.js';

const fixture = usePagePerTest({ width: 1280, height: 800 });

/** A second client of the same core, as the CLI would be. */
async function bridgeClient(of: HeadlessHandle): Promise<BridgeConnection> {
  const socket = new WebSocket(`${of.origin.replace(/^http/, 'ws')}/bridge?token=${of.token}`, { origin: of.origin });
  return connectBridge(socket as unknown as Parameters<typeof connectBridge>[0]);
}

async function screenshot(name: string): Promise<void> {
  await fixture.page.emulateMedia({ colorScheme: 'light' });
  await fixture.page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
  await fixture.page.emulateMedia({ colorScheme: 'dark' });
  await fixture.page.screenshot({ path: `${SCREENSHOTS}/${name}-dark.png` });
  await fixture.page.emulateMedia({ colorScheme: 'light' });
}

describe('Agents', () => {
  it('says what to do when there are no agents, then shows started ones in their bands, live', async () => {
    await fixture.page.goto(fixture.host.url);
    const empty = fixture.page.getByTestId('agents-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('Start a local agent from a manifest, or enable hybrid mode in Settings');
    await screenshot('agents-empty');

    // Started by another client: the page learns of them only through agents.changed.
    const client = await bridgeClient(fixture.host);
    try {
      await client.api.agents.start({ type: 'workspace' });
      await client.api.agents.start({ type: 'echo', name: 'echo-1' });
      await client.api.agents.start({ type: 'echo', name: 'echo-2' });
    } finally {
      client.close();
    }

    const mine = fixture.page.getByTestId('band-user');
    await mine.getByTestId('agent-row').first().waitFor();
    expect(await mine.getByTestId('agent-row').count()).toBe(1);
    expect(await mine.getByText('this laptop').count()).toBe(1);
    const workers = fixture.page.getByTestId('band-task');
    await expect.poll(() => workers.getByTestId('agent-row').count()).toBe(2);
    expect(await fixture.page.getByTestId('band-repo').getByText('None.').count()).toBe(1);
    await expect
      .poll(() => fixture.page.locator('[data-testid="agent-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))))
      .not.toContain('terminated');
    expect(await fixture.page.getByTestId('nav-agents').textContent()).toBe('Agents3');

    // Search and filter.
    await fixture.page.getByLabel('Search agents').fill('echo-2');
    await expect.poll(() => fixture.page.getByTestId('agent-row').count()).toBe(1);
    expect(await fixture.page.getByTestId('agents-count').textContent()).toBe('1 of 3 agents');
    await fixture.page.getByLabel('Search agents').fill('');
    await fixture.page.getByLabel('Location').selectOption('remote');
    await fixture.page.getByTestId('agents-no-match').waitFor();
    await fixture.page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => fixture.page.getByTestId('agent-row').count()).toBe(3);

    await screenshot('agents');
  });
});

describe('Routes and Traces', () => {
  it('explain what will appear there', async () => {
    await fixture.page.goto(fixture.host.url);
    await fixture.page.getByRole('link', { name: 'Routes' }).click();
    expect(await fixture.page.getByTestId('routes-empty').textContent()).toMatch(/No routes yet/);
    expect(fixture.page.url()).toContain('#/routes');
    await screenshot('routes');

    await fixture.page.getByRole('link', { name: 'Traces' }).click();
    expect(await fixture.page.getByTestId('traces-empty').textContent()).toMatch(/No traces yet/);
    await screenshot('traces');
  });
});

describe('Reaching the core', () => {
  it('explains a page opened without its token', async () => {
    await fixture.page.goto(fixture.host.origin);
    const screen = fixture.page.getByTestId('bridge-screen');
    await screen.waitFor();
    expect(await screen.getAttribute('data-state')).toBe('missing-token');
    expect(await screen.textContent()).toContain('needs its access token');
    await screenshot('no-token');
  });

  it('explains a wrong token', async () => {
    await fixture.page.goto(`${fixture.host.origin}/?token=wrong`);
    const screen = fixture.page.getByTestId('bridge-screen');
    await expect.poll(() => screen.getAttribute('data-state')).toBe('down');
    expect(await screen.textContent()).toContain('Cannot reach the Switchyard core');
  });

  it('shows the core as unreachable when the host goes away, keeping the last state', async () => {
    const doomed = await startHeadless();
    try {
      await fixture.page.goto(doomed.url);
      await fixture.page.getByTestId('agents-empty').waitFor();
      await doomed.stop({ keepData: true });
      const banner = fixture.page.getByTestId('bridge-banner');
      await banner.waitFor();
      expect(await banner.textContent()).toContain('Switchyard core unreachable');
      await expect.poll(() => fixture.page.getByTestId('connection-indicator').textContent()).toBe('Core unreachable');
      // The last state stays on screen under the banner.
      expect(await fixture.page.getByTestId('agents-empty').count()).toBe(1);
      await screenshot('core-unreachable');
    } finally {
      await doomed.stop();
    }
  });
});
