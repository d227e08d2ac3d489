/**
 * The one data-folder rule (src/shared/data-dir.ts), for every platform on any machine:
 * the desktop, the headless host and the CLI all call it.
 */
import { describe, expect, it } from 'vitest';
import { DATA_DIR_ENV, resolveDataDir } from '../../../src/shared/data-dir.js';

describe('resolveDataDir', () => {
  it('uses SWITCHYARD_DATA_DIR on every platform when it is set', () => {
    for (const platform of ['linux', 'darwin', 'win32']) {
      expect(resolveDataDir({ env: { [DATA_DIR_ENV]: '/srv/sy' }, platform, homedir: '/home/ada' })).toBe('/srv/sy');
    }
  });

  it('treats an empty SWITCHYARD_DATA_DIR as unset', () => {
    expect(resolveDataDir({ env: { [DATA_DIR_ENV]: '' }, platform: 'linux', homedir: '/home/ada' })).toBe('/home/ada/.config/Switchyard');
  });

  it('on Linux: Switchyard under $XDG_CONFIG_HOME, else ~/.config (an empty XDG_CONFIG_HOME is unset, as the XDG spec says)', () => {
    expect(resolveDataDir({ env: {}, platform: 'linux', homedir: '/home/ada' })).toBe('/home/ada/.config/Switchyard');
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: '/xdg/' }, platform: 'linux', homedir: '/home/ada' })).toBe('/xdg/Switchyard');
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: '' }, platform: 'freebsd', homedir: '/home/ada' })).toBe('/home/ada/.config/Switchyard');
    expect(resolveDataDir({ env: {}, platform: 'linux', homedir: '/' })).toBe('/.config/Switchyard');
  });

  it('on macOS: ~/Library/Application Support/Switchyard, whatever XDG_CONFIG_HOME says', () => {
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'darwin', homedir: '/Users/ada' })).toBe(
      '/Users/ada/Library/Application Support/Switchyard',
    );
  });

  it('on Windows: %APPDATA%\\Switchyard, else AppData\\Roaming under the home folder', () => {
    expect(resolveDataDir({ env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, platform: 'win32', homedir: 'C:\\Users\\ada' })).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\Switchyard',
    );
    expect(resolveDataDir({ env: {}, platform: 'win32', homedir: 'C:\\Users\\ada' })).toBe('C:\\Users\\ada\\AppData\\Roaming\\Switchyard');
  });
});
