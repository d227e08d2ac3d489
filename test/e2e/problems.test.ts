/**
 * Problems said aloud, end to end: a real nats-server with the documented per-user
 * permissions, the real coordinator with a quota of one agent for alice, the headless
 * app in hybrid mode as alice with two local agents. The coordinator refuses the second;
 * the refusal reaches the notification centre on screen in Debian's Chromium, with its
 * reason and what to do, and Dismiss takes it away.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBridge } from '../../src/shared/bridge-client.js';
import type { RemoteEnv } from '../integration/remote/remote-harness.js';
import { REPO, TOKENS, remoteEnv } from '../integration/remote/remote-harness.js';
import { launchChromium } from './helpers/browser.js';
import type { HeadlessHandle } from './helpers/headless.js';
import { startHeadless } from './helpers/headless.js';
import { SCREENSHOTS } from './helpers/page-per-test.js';

let env: RemoteEnv;
let host: HeadlessHandle;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  env = await remoteEnv();
  // Room for two: alice's person (`alice.user`, the desktop's participant endpoint) and one agent.
  await env.startCoordinator({ quotas: { users: { alice: { agentsPerUser: 2 } } } });
  [host, browser] = await Promise.all([startHeadless(), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await env?.dispose();
});

describe('the notification centre', () => {
  it('shows a coordinator refusal with its reason and advice, and dismisses it', async () => {
    await page.goto(host.url);
    await page.getByTestId('problem-bell').waitFor();
    expect(await page.getByTestId('problem-bell').getAttribute('data-count')).toBe('0');

    const socket = new WebSocket(`${host.origin.replace(/^http/, 'ws')}/bridge?token=${host.token}`, { origin: host.origin });
    const client = await connectBridge(socket as unknown as Parameters<typeof connectBridge>[0]);
    try {
      await client.api.config.set({
        // echo is listed local: otherwise the hybrid config would place it remote (a task type).
        config: { enabled: true, coordinationUrl: env.server.wsUrl, repo: REPO, localAgentTypes: ['echo'], remoteAgentTypes: [], fallbackToLocal: false },
        apiToken: TOKENS.alice,
      });
      await expect.poll(() => page.getByTestId('connection-indicator').getAttribute('data-phase'), { timeout: 30_000 }).toBe('connected');
      await expect.poll(() => env.coordinators[0]?.store.get(REPO, 'alice.user') !== undefined, { timeout: 30_000 }).toBe(true);
      await client.api.agents.start({ type: 'echo', name: 'echo-1' });
      await expect.poll(() => env.coordinators[0]?.store.get(REPO, 'alice.echo-1') !== undefined, { timeout: 30_000 }).toBe(true);
      await client.api.agents.start({ type: 'echo', name: 'echo-2' });
    } finally {
      client.close();
    }

    // The bell counts it; the centre says who refused what, why, and what to do.
    await expect.poll(() => page.getByTestId('problem-bell').getAttribute('data-count'), { timeout: 30_000 }).toBe('1');
    await page.getByTestId('problem-bell').click();
    const centre = page.getByTestId('problem-centre');
    const refusal = centre.locator('[data-testid="problem"][data-problem="coordinator.register:demo/echo-2"]');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-state')).toBe('error');
    expect(await refusal.locator('.problem__title').textContent()).toBe('The team refused to register echo-2 (as alice.echo-2): QuotaExceeded');
    expect(await refusal.getByTestId('problem-reason').textContent()).toMatch(/already has 2 agents; the limit is 2/);
    expect(await refusal.getByTestId('problem-advice').textContent()).toMatch(/Stop an agent you no longer need/);
    await page.screenshot({ path: `${SCREENSHOTS}/problem-centre.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SCREENSHOTS}/problem-centre-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });

    await refusal.getByTestId('problem-dismiss').click();
    await centre.getByTestId('problems-empty').waitFor();
    expect(await page.getByTestId('problem-bell').getAttribute('data-count')).toBe('0');
    // Dismissed in the core too: a reload does not bring it back.
    await page.reload();
    await page.getByTestId('problem-bell').click();
    await page.getByTestId('problems-empty').waitFor();
  });
});
