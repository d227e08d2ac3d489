/**
 * The data-folder rule, written once for every host: the desktop, the headless host and
 * the CLI (which finds the headless host's `bridge.json` there).
 *
 * Pure: the caller hands in the environment, the platform and the home folder, so the
 * rule holds the same everywhere and is tested for every platform on any machine.
 */

/** The environment variable that picks another data folder. */
export const DATA_DIR_ENV = 'SWITCHYARD_DATA_DIR';

/** The folder's name under the platform's per-user application-data folder. */
export const DATA_DIR_NAME = 'Switchyard';

/** What the rule depends on: `process.env`, `process.platform` and `os.homedir()`. */
export interface DataDirInputs {
  env: Readonly<Record<string, string | undefined>>;
  platform: string;
  homedir: string;
}

/**
 * The data folder: `SWITCHYARD_DATA_DIR` when set (an empty value counts as unset),
 * else `Switchyard` under `~/Library/Application Support` (macOS), `%APPDATA%` (Windows)
 * or `$XDG_CONFIG_HOME`, by default `~/.config` (everything else).
 */
export function resolveDataDir({ env, platform, homedir }: DataDirInputs): string {
  const chosen = env[DATA_DIR_ENV];
  if (chosen) return chosen;
  const sep = platform === 'win32' ? '\\' : '/';
  const under = (...parts: string[]): string => joinPath(sep, parts);
  switch (platform) {
    case 'darwin':
      return under(homedir, 'Library', 'Application Support', DATA_DIR_NAME);
    case 'win32':
      return under(env.APPDATA || under(homedir, 'AppData', 'Roaming'), DATA_DIR_NAME);
    default:
      return under(env.XDG_CONFIG_HOME || under(homedir, '.config'), DATA_DIR_NAME);
  }
}

/** Joins with one separator between parts, whatever separators a part ends with. */
function joinPath(sep: string, parts: string[]): string {
  return parts.reduce((path, part) => `${path.replace(/[\\/]+$/, '')}${sep}${part}`);
}
