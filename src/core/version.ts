import { platform } from 'node:os';
import type { SystemInfo } from '../shared/contract.js';

/** The app's version, shown in system.info and the CLI. Kept in step with package.json. */
export const VERSION = '0.1.0';

/** What `system.info` answers: this build, the host it runs in, and since when. */
export function systemInfo(host: 'electron' | 'headless', startedAt: number): SystemInfo {
  return { name: 'switchyard', version: VERSION, host, platform: platform(), startedAt };
}
