#!/usr/bin/env node
// `npm test`: makes sure the system packages the tests need exist (installing them with
// apt-get where it can), then runs lint, typecheck, Electronegativity, the build, and the unit,
// integration and e2e projects, and ends with one line: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const CHROMIUM = process.env.SWITCHYARD_CHROMIUM ?? '/usr/bin/chromium';
const run = (command, args, options = {}) => spawnSync(command, args, { stdio: 'inherit', ...options });
const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

function ensureSystemPackages() {
  const missing = [];
  if (!onPath('nats-server')) missing.push('nats-server');
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && onPath('apt-get')) {
    console.log(`Installing system packages the tests need: ${missing.join(', ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (run('apt-get', ['update', '-qq'], { env }).status === 0 &&
        run('apt-get', ['install', '-y', '-qq', ...missing], { env }).status === 0) return;
  }
  console.error(`The tests need these system packages: ${missing.join(', ')}.\n` +
    `Install them (Debian/Ubuntu: sudo apt-get install -y ${missing.join(' ')}), or set SWITCHYARD_CHROMIUM to a Chromium binary.`);
  process.exit(1);
}

function ensureNodeModules() {
  if (existsSync('node_modules/.bin/vitest') && existsSync('node_modules/better-sqlite3/build/Release/better_sqlite3.node')) return;
  console.log('Installing npm dependencies (npm ci)…');
  if (run('npm', ['ci']).status !== 0) process.exit(1);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let failedSteps = [];

function step(name, command, args) {
  console.log(`\n=== ${name} ===`);
  const result = run(command, args);
  if (result.status !== 0) failedSteps.push(name);
  return result.status === 0;
}

function vitestProject(project) {
  mkdirSync('.tmp', { recursive: true });
  const report = `.tmp/vitest-${project}.json`;
  const ok = step(`${project} tests`, 'node_modules/.bin/vitest', [
    'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
  ]);
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += json.numPassedTests ?? 0;
    totals.failed += json.numFailedTests ?? 0;
    totals.skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
    if (!ok && (json.numFailedTests ?? 0) === 0) totals.failed += 1; // a suite that failed to load
  } else if (!ok) {
    totals.failed += 1;
  }
}

ensureSystemPackages();
ensureNodeModules();
step('lint', 'node_modules/.bin/eslint', ['.']);
step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
// Electron security anti-patterns, offline, Electron version pinned; fails above LOW.
step('electronegativity', process.execPath, ['scripts/electronegativity.mjs']);
const built = step('build (electron-vite)', 'node_modules/.bin/electron-vite', ['build']);
vitestProject('unit');
vitestProject('integration');
if (built) {
  process.env.SWITCHYARD_SKIP_BUILD = '1';
  vitestProject('e2e');
} else {
  console.log('\ne2e tests not run: the build failed');
}

console.log('');
if (failedSteps.length > 0) console.log(`Failed steps: ${failedSteps.join(', ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length > 0 ? 1 : 0);
