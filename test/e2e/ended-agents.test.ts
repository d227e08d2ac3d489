/**
 * Ended workers fold away in the real renderer, in Debian's Chromium against the
 * headless host: a stopped worker stays in view for its grace period, then leaves the
 * Workers band; "Show ended (1)" brings it back. The page's clock is Playwright's, so
 * the minute passes without waiting for it.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectBridge } from '../../src/shared/bridge-client.js';
import { SCREENSHOTS, usePagePerTest } from './helpers/page-per-test.js';

const fixture = usePagePerTest({ width: 1280, height: 800 });

describe('Agents', () => {
  it('folds a stopped worker away after its grace period, and the toggle shows it again', async () => {
    const { page, host } = fixture;
    await page.clock.install();
    await page.goto(host.url);
    const socket = new WebSocket(`${host.origin.replace(/^http/, 'ws')}/bridge?token=${host.token}`, { origin: host.origin });
    const client = await connectBridge(socket as unknown as Parameters<typeof connectBridge>[0]);
    try {
      await client.api.agents.start({ type: 'workspace' });
      await client.api.agents.start({ type: 'echo', name: 'echo-1' });
      await client.api.agents.start({ type: 'echo', name: 'echo-2' });
      const workers = page.getByTestId('band-task');
      await expect.poll(() => workers.getByTestId('agent-row').count()).toBe(2);
      await client.api.agents.stop({ name: 'echo-1' });
    } finally {
      client.close();
    }
    const workers = page.getByTestId('band-task');
    const ended = workers.locator('[data-testid="agent-row"][data-status="terminated"]');
    await ended.waitFor();
    // Within its grace period the ended worker is still listed.
    expect(await workers.getByTestId('agent-row').count()).toBe(2);

    await page.clock.fastForward(61_000);
    await expect.poll(() => workers.getByTestId('agent-row').count()).toBe(1);
    const toggle = page.getByTestId('toggle-ended');
    expect(await toggle.textContent()).toBe('Show ended (1)');
    expect(await page.getByTestId('agents-count').textContent()).toBe('2 of 3 agents');
    await page.screenshot({ path: `${SCREENSHOTS}/agents-ended-folded.png` });

    await toggle.click();
    await expect.poll(() => workers.getByTestId('agent-row').count()).toBe(2);
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: `${SCREENSHOTS}/agents-ended-shown.png` });
  });
});
