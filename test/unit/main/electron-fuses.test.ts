/**
 * The fuse configuration (scripts/electron-fuses.mjs), asserted fuse by fuse, and the
 * script run on a stand-in binary: a file holding Electron's fuse sentinel and a wire
 * with Electron's defaults, since the real binary cannot be downloaded everywhere.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FuseState, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import afterPack, { FUSES, applyFuses, checkFuses } from '../../../scripts/electron-fuses.mjs';
import { makeTempDir } from '../../helpers/temp-dir.js';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's shipped defaults, in FuseV1Options order: RunAsNode on, cookie encryption
// off, NODE_OPTIONS on, inspect on, asar integrity off, asar only off, V8 snapshot off,
// file:// privileges on, Wasm trap handlers on.
const DEFAULT_WIRE = '101100011';

function fakeElectron(path: string, wire = DEFAULT_WIRE): void {
  const header = Buffer.from([1, wire.length]);
  writeFileSync(
    path,
    Buffer.concat([Buffer.alloc(4096, 0x7f), Buffer.from(SENTINEL), header, Buffer.from(wire), Buffer.alloc(4096, 0x7f)]),
  );
}

describe('the fuse configuration', () => {
  it('turns off every way to run the binary as something else, and on every integrity check', () => {
    expect(FUSES.version).toBe(FuseVersion.V1);
    expect(FUSES.strictlyRequireAllFuses).toBe(true);
    expect(FUSES[FuseV1Options.RunAsNode]).toBe(false);
    expect(FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(FUSES[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(FUSES[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
  });

  it('sets every fuse this @electron/fuses knows explicitly', () => {
    const names = Object.values(FuseV1Options).filter((value) => typeof value === 'number');
    for (const index of names) expect(typeof FUSES[index as FuseV1Options], FuseV1Options[index as FuseV1Options]).toBe('boolean');
  });
});

describe('scripts/electron-fuses.mjs on a binary', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir('sy-fuses-');
  });
  afterEach(() => dir.remove());

  it('flips the wire of a default binary and leaves the rest of the file alone', async () => {
    const binary = join(dir.path, 'electron');
    fakeElectron(binary);
    const before = readFileSync(binary);
    expect(await checkFuses(binary)).toContain('RunAsNode: on, wanted off');

    await applyFuses(binary, { platform: 'linux', arch: 'x64' });

    const wire = await getCurrentFuseWire(binary);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(await checkFuses(binary)).toEqual([]);
    const after = readFileSync(binary);
    expect(after.length).toBe(before.length);
    const wireStart = 4096 + SENTINEL.length + 2;
    expect(after.subarray(0, wireStart).equals(before.subarray(0, wireStart))).toBe(true);
    expect(after.subarray(wireStart + DEFAULT_WIRE.length).equals(before.subarray(wireStart + DEFAULT_WIRE.length))).toBe(true);
  });

  it('refuses a binary without a fuse wire', async () => {
    const binary = join(dir.path, 'not-electron');
    writeFileSync(binary, 'just bytes');
    await expect(applyFuses(binary)).rejects.toThrow(/Could not find sentinel/);
  });

  it('as electron-builder afterPack, finds the Linux executable in the output folder', async () => {
    fakeElectron(join(dir.path, 'switchyard'));
    await afterPack({
      appOutDir: dir.path,
      electronPlatformName: 'linux',
      arch: 1,
      packager: { appInfo: { productFilename: 'Switchyard' }, executableName: 'switchyard' },
    });
    expect(await checkFuses(join(dir.path, 'switchyard'))).toEqual([]);
  });

  it('from the command line: --check fails on a default binary, passes once the fuses are set', () => {
    const binary = join(dir.path, 'electron');
    fakeElectron(binary);
    const run = (...args: string[]) => spawnSync(process.execPath, ['scripts/electron-fuses.mjs', ...args], { encoding: 'utf8' });

    const unset = run('--check', binary);
    expect(unset.status).toBe(1);
    expect(unset.stderr).toContain('RunAsNode: on, wanted off');

    expect(run(binary).status).toBe(0);
    const set = run('--check', binary);
    expect(set.status).toBe(0);
    expect(set.stdout).toContain('Electron fuses verified');
  });
});
