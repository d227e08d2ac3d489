/**
 * The CLI when there is no Switchyard to reach: no descriptor, a descriptor left by a
 * host that was killed, a wrong token. Each is exit 3 with a message saying what to do.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeadlessHandle } from '../../e2e/helpers/headless.js';
import { startHeadless } from '../../e2e/helpers/headless.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { cli } from './cli-process.js';

describe('the CLI without a reachable Switchyard', { timeout: 180_000 }, () => {
  let host: HeadlessHandle | undefined;
  const temps: ReturnType<typeof makeTempDir>[] = [];
  afterEach(async () => {
    await host?.stop();
    host = undefined;
    temps.splice(0).forEach((temp) => temp.remove());
  });

  it('exits 3 when no host ever ran in the data folder', async () => {
    const temp = makeTempDir('sy-cli-none-');
    temps.push(temp);
    const run = await cli(['agents', '--data-dir', temp.path], { ...process.env, SWITCHYARD_URL: '' });
    expect(run).toMatchObject({ code: 3, stdout: '' });
    expect(run.stderr).toContain('CannotReach: no running Switchyard found');
  });

  it('exits 3 for a killed host\'s leftover descriptor, and for a wrong token', async () => {
    host = await startHeadless();
    const env = { ...process.env, SWITCHYARD_DATA_DIR: host.dataDir, SWITCHYARD_URL: '' };
    const descriptor = join(host.dataDir, 'bridge.json');
    const written = JSON.parse(readFileSync(descriptor, 'utf8')) as { url: string; token: string };

    const wrong = await cli(['status', '--url', written.url.replace(/token=[^&]+/, 'token=wrong-token')], env);
    expect(wrong).toMatchObject({ code: 3, stderr: expect.stringContaining('401') });

    // SIGKILL: the host cannot remove its descriptor.
    const exited = new Promise((resolve) => host!.process.once('exit', resolve));
    host.process.kill('SIGKILL');
    await exited;
    expect(readFileSync(descriptor, 'utf8')).toContain(written.token);
    const stale = await cli(['status'], env);
    expect(stale).toMatchObject({ code: 3, stderr: expect.stringContaining('is no longer running') });
  });
});
