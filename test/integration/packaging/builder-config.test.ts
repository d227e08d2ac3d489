/**
 * The packaging configuration (electron-builder.yml), checked with electron-builder's
 * own loader, schema, file matchers and hook resolution against a fresh
 * `electron-vite build`: what it would pack, what it unpacks from the asar, the icon,
 * and the fuses its afterPack hook sets. Packaging itself needs Electron's zip, which
 * cannot be downloaded on a machine without internet: there that part reports itself
 * skipped, with the reason in its name.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { inflateSync } from 'node:zlib';
import { getFileMatchers } from 'app-builder-lib/out/fileMatcher.js';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { resolveFunction } from 'app-builder-lib/out/util/resolve.js';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import afterPack, { checkFuses } from '../../../scripts/electron-fuses.mjs';
import { DATA_DIR_NAME } from '../../../src/shared/data-dir.js';
import { ensureBuilt } from '../../e2e/helpers/build.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const ROOT = process.cwd();
const CONFIG_FILE = 'electron-builder.yml';
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { productName?: string; main: string; scripts: Record<string, string> };

const SKIP_PACKAGING =
  'packaging itself (electron-builder → AppImage, deb, dmg, nsis) is skipped here: the Electron binary cannot be downloaded on this machine; run `npm run dist` where it can';
console.warn(`[packaging] ${SKIP_PACKAGING}`);

/** Every file under a folder, relative to the project, skipping what is never source of a package. */
function walk(dir: string, keep: (file: string, stat: ReturnType<typeof statSync>) => boolean, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (dir === ROOT && ['node_modules', '.git', 'dist', '.agent-clis'].includes(entry.name)) continue;
    const stat = statSync(full);
    if (!keep(full, stat)) continue;
    if (stat.isDirectory()) walk(full, keep, out);
    else out.push(relative(ROOT, full).split('\\').join('/'));
  }
  return out;
}

function matcher(config: Configuration, name: 'files' | 'asarUnpack') {
  const matchers = getFileMatchers(config, name, '/app', {
    macroExpander: (pattern) => pattern,
    customBuildOptions: {},
    globalOutDir: join(ROOT, 'dist'),
    defaultSrc: ROOT,
  });
  expect(matchers, `${name} patterns`).not.toBeNull();
  const filters = matchers!.map((m) => m.createFilter());
  return (file: string): boolean => {
    const full = join(ROOT, file);
    return filters.some((filter) => filter(full, statSync(full)));
  };
}

/** Width, height and colour type of a PNG, after checking its signature, chunk CRCs and pixel data. */
function readPng(file: string): { width: number; height: number; colourType: number } {
  const data = readFileSync(file);
  expect(data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'PNG signature').toBe(true);
  let at = 8;
  let header: { width: number; height: number; colourType: number } | undefined;
  const idat: Buffer[] = [];
  while (at < data.length) {
    const length = data.readUInt32BE(at);
    const type = data.subarray(at + 4, at + 8).toString('ascii');
    const body = data.subarray(at + 8, at + 8 + length);
    expect(data.readUInt32BE(at + 8 + length), `${type} CRC`).toBe(crc32(data.subarray(at + 4, at + 8 + length)));
    if (type === 'IHDR') header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), colourType: body[9]! };
    if (type === 'IDAT') idat.push(body);
    at += 12 + length;
  }
  expect(header).toBeDefined();
  const channels = header!.colourType === 6 ? 4 : 3;
  expect(inflateSync(Buffer.concat(idat)).length).toBe(header!.height * (header!.width * channels + 1));
  return header!;
}

function crc32(buffer: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buffer) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** A stand-in Electron binary: the fuse sentinel and a wire with Electron's defaults. */
function fakeElectron(path: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const wire = '101100011';
  writeFileSync(path, Buffer.concat([Buffer.alloc(1024, 0x7f), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, wire.length]), Buffer.from(wire), Buffer.alloc(1024, 0x7f)]));
}

describe('electron-builder.yml', () => {
  let config: Configuration;
  beforeAll(async () => {
    config = await getConfig(ROOT, CONFIG_FILE, null);
  });

  it('passes electron-builder’s own schema, which does catch a broken copy', async () => {
    await validateConfiguration(config, new DebugLogger(false));
    // A misspelt key (the schema coerces numbers to strings, so a wrong type may pass).
    await expect(validateConfiguration({ ...config, asarUnpak: ['x'] } as unknown as Configuration, new DebugLogger(false))).rejects.toThrow(/Invalid configuration object/);
  });

  it('names the app Switchyard everywhere the user-data folder is decided', () => {
    expect(config.productName).toBe('Switchyard');
    // Electron's userData folder is named after package.json's productName; the data folder rule after DATA_DIR_NAME.
    expect(pkg.productName).toBe('Switchyard');
    expect(DATA_DIR_NAME).toBe(pkg.productName);
    expect(config.appId).toMatch(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*){2,}$/);
    expect(pkg.scripts.dist).toBe('electron-vite build && electron-builder --config electron-builder.yml');
  });

  it('builds AppImage and deb on Linux, dmg on macOS, nsis on Windows', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.win?.target).toEqual(['nsis']);
  });

  it('has an icon for every platform: a valid 512×512 RGBA PNG (dmg needs 512 or more)', () => {
    for (const platform of [config.linux, config.mac, config.win]) {
      const icon = platform?.icon;
      expect(typeof icon).toBe('string');
      expect(existsSync(icon as string)).toBe(true);
      expect(readPng(icon as string)).toEqual({ width: 512, height: 512, colourType: 6 });
    }
  });

  it('packs the fresh build of main, preload and renderer and the runtime resources, nothing from src/ or test/', () => {
    ensureBuilt();
    const packed = matcher(config, 'files');
    const all = walk(ROOT, () => true);
    const chosen = all.filter(packed);
    const built = ['out/main', 'out/preload', 'out/renderer'].flatMap((dir) => walk(join(ROOT, dir), () => true));
    expect(built.length).toBeGreaterThan(3);
    // Exactly the build, the shipped agents, the icon and package.json.
    expect(chosen.filter((file) => file.startsWith('out/')).sort()).toEqual(built.sort());
    expect(chosen.filter((file) => !file.startsWith('out/') && !file.startsWith('resources/agents/')).sort()).toEqual(['package.json', 'resources/icon.png']);
    expect(chosen).toContain('resources/agents/echo.json');
    expect(chosen).toContain('resources/agents/echo.mjs');
    // What the hosts load: package.json's main, the preload index.ts names, the renderer page.
    for (const file of [pkg.main, 'out/preload/index.cjs', 'out/renderer/index.html', 'out/main/headless.js']) expect(chosen).toContain(file);
    for (const prefix of ['src/', 'test/', 'scripts/', 'docs/', 'bench/', 'resources/team/', 'resources/npm/', '.tmp/']) {
      expect(chosen.filter((file) => file.startsWith(prefix)), prefix).toEqual([]);
    }
  });

  it('packs into an asar and unpacks what plain Node processes read: agents, the coding-agent runtime and every package it imports', () => {
    ensureBuilt();
    expect(config.asar).toBe(true);
    const unpacked = matcher(config, 'asarUnpack');
    for (const file of ['resources/agents/echo.mjs', 'resources/agents/lib/agent-io.mjs', 'out/main/coding-agent.js']) expect(unpacked(file), file).toBe(true);
    expect(unpacked('out/renderer/index.html')).toBe(false);
    expect(unpacked('node_modules/better-sqlite3/package.json')).toBe(true);
    // The packages the runtime bundle and its chunks import by name (not node: built-ins).
    const bundles = ['out/main/coding-agent.js', ...walk(join(ROOT, 'out/main/chunks'), () => true)];
    const imported = new Set<string>();
    for (const bundle of bundles) {
      // Rollup writes one import per line at the top level: `import … from "x";`, `import("x")`.
      const source = readFileSync(bundle, 'utf8');
      for (const match of source.matchAll(/^(?:import|export)\b[^\n]*?\bfrom\s*"([^".][^"]*)";?$|\bimport\(\s*"([^".][^"]*)"\s*\)/gm)) {
        const name = match[1] ?? match[2]!;
        if (name.startsWith('node:')) continue;
        imported.add(name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!);
      }
    }
    expect([...imported]).toEqual(expect.arrayContaining(['zod', 'better-sqlite3']));
    for (const name of imported) expect(unpacked(`node_modules/${name}/package.json`), `node_modules/${name}`).toBe(true);
  });

  it('runs scripts/electron-fuses.mjs after packing, which sets the fuses on each platform’s binary', async () => {
    // Resolved as electron-builder resolves it (its own import, so not this test's module instance).
    const hook = await resolveFunction<typeof afterPack>(undefined, config.afterPack as string, 'afterPack', ROOT);
    expect(typeof hook).toBe('function');
    expect(hook.name).toBe(afterPack.name);
    const dir = makeTempDir('sy-afterpack-');
    try {
      const cases = [
        { platform: 'linux', binary: join('linux', 'switchyard'), arch: 1 },
        { platform: 'win32', binary: join('win32', 'Switchyard.exe'), arch: 1 },
        // x64: an arm64 macOS binary would also be re-signed ad hoc, which needs codesign.
        { platform: 'darwin', binary: join('darwin', 'Switchyard.app', 'Contents', 'Frameworks', 'Electron Framework.framework', 'Electron Framework'), arch: 1 },
      ];
      for (const { platform, binary, arch } of cases) {
        fakeElectron(join(dir.path, binary));
        expect(await checkFuses(join(dir.path, binary))).toContain('RunAsNode: on, wanted off');
        await hook({
          appOutDir: join(dir.path, platform),
          electronPlatformName: platform,
          arch,
          packager: { appInfo: { productFilename: 'Switchyard' }, executableName: 'switchyard' },
        });
        expect(await checkFuses(join(dir.path, binary)), platform).toEqual([]);
      }
    } finally {
      dir.remove();
    }
  });

  it.skip(`packs installers: ${SKIP_PACKAGING}`, () => {});
});
