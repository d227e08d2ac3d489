/**
 * Builds the app with electron-vite once per test process, unless `out/` is fresher
 * than every source file (scripts/test.mjs builds before the e2e project runs).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

let built = false;

export function ensureBuilt(): void {
  if (built) return;
  if (process.env.SWITCHYARD_SKIP_BUILD !== '1' || !existsSync('out/main/headless.js')) {
    execFileSync('node_modules/.bin/electron-vite', ['build'], { stdio: 'pipe' });
  }
  built = true;
}
