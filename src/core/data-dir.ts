/**
 * Where the app keeps its data when nobody says otherwise: the same folder Electron's
 * `userData` uses, so the desktop and the headless host share one registry and config.
 */
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export const DATA_DIR_ENV = 'SWITCHYARD_DATA_DIR';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env[DATA_DIR_ENV]) return env[DATA_DIR_ENV];
  switch (platform()) {
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Switchyard');
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Switchyard');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Switchyard');
  }
}
