/**
 * The fixture most view tests share: one headless host and one Chromium for the file, a
 * fresh page for every test, and the screenshots folder made.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launchChromium } from './browser.js';
import type { HeadlessHandle } from './headless.js';
import { startHeadless } from './headless.js';

export const SCREENSHOTS = 'test-results/screenshots';

export interface PagePerTest {
  /** The host of this file (set once beforeAll has run). */
  readonly host: HeadlessHandle;
  /** This test's page (set once beforeEach has run). */
  readonly page: Page;
}

/** Registers the hooks; read `host` and `page` inside tests. */
export function usePagePerTest(viewport: { width: number; height: number }): PagePerTest {
  let host: HeadlessHandle | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [host, browser] = await Promise.all([startHeadless(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });
  beforeEach(async () => {
    page = await browser!.newPage({ viewport });
  });
  afterEach(async () => {
    await page?.close();
  });
  return {
    get host() {
      return host!;
    },
    get page() {
      return page!;
    },
  };
}
