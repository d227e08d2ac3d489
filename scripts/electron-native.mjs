#!/usr/bin/env node
// Prepares the desktop start (`npm start`): makes sure the Electron binary is present
// (downloading it needs internet) and builds better-sqlite3 for Electron's ABI into
// .electron-native/, leaving node_modules' build for Node (tests, headless host) alone.
// So `npm start` and `npm test` work in either order.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, '.electron-native');
const electronVersion = require('electron/package.json').version;
const sqliteVersion = require('better-sqlite3/package.json').version;
const stampFile = join(outDir, 'stamp.json');
const stamp = JSON.stringify({ electron: electronVersion, betterSqlite3: sqliteVersion, arch: process.arch });

function fail(message) {
  console.error(`\nswitchyard: ${message}\n`);
  process.exit(1);
}

// 1. The Electron binary (npm does not run Electron's install script here).
const electronDir = join(root, 'node_modules', 'electron');
if (!existsSync(join(electronDir, 'path.txt'))) {
  console.log(`Downloading Electron ${electronVersion}…`);
  const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' });
  if (install.status !== 0 || !existsSync(join(electronDir, 'path.txt'))) {
    fail(
      'the Electron binary could not be downloaded (no internet?). The desktop window needs it;\n' +
        'the same app runs in your browser without it: npm run web',
    );
  }
}

// 2. better-sqlite3 for Electron's ABI.
if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && existsSync(join(outDir, 'better_sqlite3.node'))) {
  process.exit(0);
}
console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion}…`);
const work = join(outDir, 'better-sqlite3');
rmSync(work, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
cpSync(join(root, 'node_modules', 'better-sqlite3'), work, {
  recursive: true,
  filter: (path) => !path.includes(`${join('better-sqlite3', 'build')}`),
});
const prebuilt = spawnSync(
  process.execPath,
  [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch],
  { cwd: work, stdio: 'inherit' },
);
if (prebuilt.status !== 0) {
  console.log('No prebuilt binary; compiling from source with node-gyp…');
  const gyp = spawnSync(
    'npm',
    ['exec', '--yes', '--', 'node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`,
      '--dist-url=https://electronjs.org/headers', '--runtime=electron'],
    { cwd: work, stdio: 'inherit', env: { ...process.env, npm_config_nodedir: '' } },
  );
  if (gyp.status !== 0) fail('better-sqlite3 could not be built for Electron (see above).');
}
copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), join(outDir, 'better_sqlite3.node'));
rmSync(work, { recursive: true, force: true });
writeFileSync(stampFile, stamp);
console.log('better-sqlite3 for Electron is ready.');
