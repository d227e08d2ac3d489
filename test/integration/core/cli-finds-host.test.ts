/**
 * `npm run web` then `switchyard status`, with no flags on either side: the headless host
 * and the CLI find each other through the default data folder, because both take it from
 * the one rule in src/shared/data-dir.ts. Real processes, a temp XDG_CONFIG_HOME.
 */
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

/** Resolves with the URL once the host prints it. */
function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`headless host exited with ${code}:\n${output}`)));
  });
}

describe('the CLI and the headless host', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let host: ChildProcess | undefined;
  beforeEach(() => {
    temp = makeTempDir('sy-cli-');
  });
  afterEach(async () => {
    if (host?.pid && host.exitCode === null && host.signalCode === null) {
      const exited = new Promise((resolve) => host!.once('exit', resolve));
      process.kill(host.pid, 'SIGTERM');
      await exited;
    }
    temp.remove();
  });

  it('meet in the default data folder: `switchyard status` finds the host with no --url', async () => {
    // No SWITCHYARD_DATA_DIR, no --data-dir: the platform default under a temp XDG_CONFIG_HOME.
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: temp.path, HOME: temp.path };
    delete env.SWITCHYARD_DATA_DIR;
    delete env.SWITCHYARD_URL;
    host = spawn(process.execPath, ['--import', 'tsx', 'src/main/headless.ts', '--port', '0'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await waitForUrl(host);
    expect(existsSync(join(temp.path, 'Switchyard', 'bridge.json'))).toBe(true);

    const status = await run(process.execPath, [join(ROOT, 'bin', 'switchyard.mjs'), 'status', '--json'], { cwd: ROOT, env });
    const printed = JSON.parse(status.stdout) as { config: { enabled: boolean }; connection: { phase: string } };
    expect(printed.config.enabled).toBe(false);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  });
});
