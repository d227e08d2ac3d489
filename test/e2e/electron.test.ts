/**
 * The desktop window end to end, through Playwright's Electron support: the renderer
 * comes from app:// with our CSP, and the contract works over IPC. Electron's binary
 * cannot be downloaded on machines without internet: there this spec reports itself
 * skipped, with the reason in the test's name, and the same renderer is covered in
 * Chromium.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ElectronApplication } from 'playwright-core';
import { _electron } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './helpers/build.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function electronBinary(): string | undefined {
  const dir = join('node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

function nativeBindingReady(): boolean {
  return existsSync(join('.electron-native', 'better_sqlite3.node'));
}

const binary = electronBinary();
const skipReason = !binary
  ? 'the Electron binary is not installed (it cannot be downloaded without internet); run `npm start` once on a machine with internet'
  : !nativeBindingReady()
    ? 'better-sqlite3 is not built for Electron yet; run `node scripts/electron-native.mjs`'
    : undefined;

if (skipReason) {
  console.warn(`[e2e] Electron spec skipped: ${skipReason}`);
  describe('Electron window', () => {
    it.skip(`is not run here: ${skipReason}`, () => {});
  });
}

describe.skipIf(skipReason !== undefined)('Electron window', () => {
  let app: ElectronApplication;
  const data = makeTempDir('sy-electron-');

  beforeAll(async () => {
    ensureBuilt();
    app = await _electron.launch({
      executablePath: binary,
      args: ['.', `--user-data-dir=${data.path}`, '--no-sandbox'],
      env: { ...process.env, SWITCHYARD_DATA_DIR: data.path },
    });
  });

  afterAll(async () => {
    await app?.close();
    data.remove();
  });

  it('serves the renderer from app:// with our CSP, and refuses paths outside it', async () => {
    const page = await app.firstWindow();
    expect(page.url()).toMatch(/^app:\/\/switchyard\/index\.html/);
    const probe = await page.evaluate(async () => {
      const entry = await fetch('/index.html');
      const outside = await fetch('/..%2f..%2fpackage.json');
      return { status: entry.status, csp: entry.headers.get('content-security-policy'), outside: outside.status };
    });
    expect(probe.status).toBe(200);
    expect(probe.csp).toContain("default-src 'self'");
    expect(probe.csp).toContain("object-src 'none'");
    expect(probe.outside).toBe(404);
  });

  it('keeps a hybrid config change across a reload, and shows a field error for a bad URL', async () => {
    const page = await app.firstWindow();
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    await page.getByRole('link', { name: 'Settings' }).click();
    const url = page.getByLabel('Coordination URL');
    await url.fill('http://not-websocket');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByText(/ws:\/\/ or wss:\/\//).count()).toBeGreaterThan(0);

    await url.fill('wss://nats.example.com');
    await page.getByLabel('Repository').fill('electron-e2e');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.reload();
    await page.getByRole('link', { name: 'Settings' }).click();
    expect(await page.getByLabel('Repository').inputValue()).toBe('electron-e2e');
  });
});
