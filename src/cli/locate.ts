/**
 * Finds a running Switchyard core: `--url`, `SWITCHYARD_URL`, or the `bridge.json` the
 * headless host writes in the data folder (src/shared/data-dir.ts, the app's own rule).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { resolveDataDir } from '../shared/data-dir.js';

const Descriptor = z.object({ url: z.url(), token: z.string().min(1) });

/** The bridge socket URL (ws://…/bridge?token=…) of the running core. */
export function locateBridge(explicitUrl: string | undefined, env: NodeJS.ProcessEnv): string {
  const pageUrl = explicitUrl ?? env.SWITCHYARD_URL ?? readDescriptor(env);
  const url = new URL(pageUrl);
  const token = url.searchParams.get('token');
  if (!token) throw new Error(`the URL ${url.origin} carries no ?token=; copy the whole URL the app printed`);
  return `ws://${url.host}/bridge?token=${encodeURIComponent(token)}`;
}

function readDescriptor(env: NodeJS.ProcessEnv): string {
  const file = join(resolveDataDir({ env, platform: process.platform, homedir: homedir() }), 'bridge.json');
  if (!existsSync(file)) {
    throw new Error('no running Switchyard found: start it with `npm run web`, or pass --url with the URL it printed');
  }
  const descriptor = Descriptor.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!descriptor.success) throw new Error(`${file} is not a Switchyard bridge descriptor`);
  return descriptor.data.url;
}
