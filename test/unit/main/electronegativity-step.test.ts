/**
 * The Electronegativity step of `npm test` (scripts/electronegativity.mjs) must fail on
 * a finding above LOW: here a window with contextIsolation off and no navigation limits.
 * (The step itself runs on src/ in `npm test`.)
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../helpers/temp-dir.js';

const dir = makeTempDir('sy-electronegativity-');
afterAll(() => dir.remove());

describe('the Electronegativity step', () => {
  it('fails, naming the check, when a window turns contextIsolation off', () => {
    writeFileSync(
      join(dir.path, 'main.ts'),
      "import { BrowserWindow } from 'electron';\nnew BrowserWindow({ webPreferences: { contextIsolation: false } });\n",
    );
    const run = spawnSync(process.execPath, ['scripts/electronegativity.mjs', dir.path], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/HIGH\s+CONTEXT_ISOLATION_JS_CHECK/);
    expect(run.stderr).toMatch(/finding\(s\) above LOW/);
  }, 60_000);
});
