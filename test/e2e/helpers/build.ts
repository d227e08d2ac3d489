/**
 * One build of the app for every suite that runs it (e2e, and the headless-host fuzz
 * test in integration).
 *
 * `npm test` (scripts/test.mjs) builds once and sets SWITCHYARD_SKIP_BUILD=1; run alone,
 * the first test file builds and the others find `out/` fresher than every source file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const OUTPUT = 'out/main/headless.js';
const INPUTS = ['src', 'resources', 'electron.vite.config.ts', 'package.json', 'tsconfig.node.json', 'tsconfig.web.json'];

let built = false;

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

/** True when the last build is newer than everything it was built from. */
function outputIsFresh(): boolean {
  if (!existsSync(OUTPUT)) return false;
  const builtAt = statSync(OUTPUT).mtimeMs;
  return INPUTS.every((input) => newestMtime(input) <= builtAt);
}

export function ensureBuilt(): void {
  if (built) return;
  const skip = process.env.SWITCHYARD_SKIP_BUILD === '1' && existsSync(OUTPUT);
  if (!skip && !outputIsFresh()) execFileSync('node_modules/.bin/electron-vite', ['build'], { stdio: 'pipe' });
  built = true;
}
