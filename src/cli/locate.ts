/**
 * Finds a running Switchyard core, in this order: `--url`, `SWITCHYARD_URL`, then the
 * `bridge.json` descriptor in the data folder: `--data-dir`, else `SWITCHYARD_DATA_DIR`,
 * else the platform default (src/shared/data-dir.ts, the rule both hosts use). The
 * desktop app and the headless host write the same descriptor, so the CLI reaches
 * whichever runs on that data folder (docs/cli.md, Which Switchyard).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BRIDGE_DESCRIPTOR_FILE, BridgeDescriptor } from '../shared/bridge-descriptor.js';
import { BRIDGE_PATH } from '../shared/bridge-protocol.js';
import { resolveDataDir } from '../shared/data-dir.js';
import { CannotReach, UsageError } from './cli-errors.js';

export interface LocateOptions {
  url?: string;
  dataDir?: string;
}

/** Where the CLI connects, and which host it found there (when a descriptor says). */
export interface BridgeTarget {
  bridgeUrl: string;
  host?: 'electron' | 'headless';
  /** The descriptor read, when the URL came from one. */
  descriptorFile?: string;
}

/** The bridge socket URL (ws://…/bridge?token=…) of the running core. */
export function locateBridge(options: LocateOptions, env: NodeJS.ProcessEnv): BridgeTarget {
  const explicit = options.url ?? (env.SWITCHYARD_URL || undefined);
  if (explicit !== undefined) return { bridgeUrl: toBridgeUrl(explicit, undefined) };
  const dataDir = options.dataDir ?? resolveDataDir({ env, platform: process.platform, homedir: homedir() });
  const file = join(dataDir, BRIDGE_DESCRIPTOR_FILE);
  const descriptor = readDescriptor(file);
  return { bridgeUrl: toBridgeUrl(descriptor.url, descriptor.token), host: descriptor.host, descriptorFile: file };
}

function toBridgeUrl(pageUrl: string, token: string | undefined): string {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    throw new UsageError(`--url: "${pageUrl}" is not a URL; pass the whole URL the host printed`);
  }
  const given = token ?? url.searchParams.get('token');
  if (!given) throw new UsageError(`--url: ${url.origin} carries no ?token=; copy the whole URL the host printed`);
  return `ws://${url.host}${BRIDGE_PATH}?token=${encodeURIComponent(given)}`;
}

function readDescriptor(file: string): BridgeDescriptor {
  if (!existsSync(file)) {
    throw new CannotReach(
      `no running Switchyard found (no ${file}): start the desktop app or \`npm run web\`, or pass --data-dir or --url`,
    );
  }
  let descriptor: BridgeDescriptor | undefined;
  try {
    descriptor = BridgeDescriptor.safeParse(JSON.parse(readFileSync(file, 'utf8'))).data;
  } catch {
    descriptor = undefined;
  }
  if (!descriptor) throw new CannotReach(`${file} is not a Switchyard bridge descriptor`);
  if (descriptor.pid !== undefined && !isRunning(descriptor.pid)) {
    throw new CannotReach(`the Switchyard that wrote ${file} (pid ${descriptor.pid}) is no longer running; start it again`);
  }
  return descriptor;
}

/** Signal 0 checks the process exists; EPERM means it does but belongs to someone else. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
