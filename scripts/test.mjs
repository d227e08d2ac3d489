#!/usr/bin/env node
// `npm test`: makes sure the system packages the tests need exist (installing them with
// apt-get where it can), then runs lint, typecheck, Electronegativity and the build side by
// side, the unit and integration projects side by side, then the e2e project on that one
// build, and ends with one line: "N passed, N failed, N skipped" (docs/testing.md).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { installAgentClis } from './agent-clis.mjs';

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
const failedSteps = [];

/**
 * Runs one step with its output held back and printed in one piece when it ends, so
 * steps that run side by side do not interleave their lines. Resolves with success.
 */
function step(name, command, args, env = {}) {
  console.log(`--- started: ${name}`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1', ...env } });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    const finish = (ok, extra = '') => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`\n=== ${name} (${seconds} s) ===`);
      process.stdout.write(Buffer.concat(chunks));
      if (extra) console.log(extra);
      if (!ok) failedSteps.push(name);
      resolve(ok);
    };
    child.once('error', (error) => finish(false, `could not run: ${error.message}`));
    child.once('close', (code) => finish(code === 0));
  });
}

async function vitestProject(project, env = {}) {
  mkdirSync('.tmp', { recursive: true });
  const report = `.tmp/vitest-${project}.json`;
  rmSync(report, { force: true });
  const ok = await step(`${project} tests`, 'node_modules/.bin/vitest', [
    'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
  ], env);
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
// The coding-agent tests run the real CLIs at pinned versions (scripts/agent-clis.mjs).
if (!installAgentClis()) {
  console.error('The coding-agent CLIs could not be installed: run `npm run agents:install` to see why.');
  process.exit(1);
}
const startedAt = Date.now();
// Figures of this run only: the fuzz and attack tests write their records afresh.
rmSync('.tmp/security-report', { recursive: true, force: true });
// The checks and the build read the sources only: they run side by side.
const [, , , built] = await Promise.all([
  step('lint', 'node_modules/.bin/eslint', ['.']),
  step('typecheck', 'npm', ['run', '--silent', 'typecheck']),
  // Electron security anti-patterns, offline, Electron version pinned; fails above LOW.
  step('electronegativity', process.execPath, ['scripts/electronegativity.mjs']),
  step('build (electron-vite)', 'node_modules/.bin/electron-vite', ['build']),
]);
// Every suite that runs the app uses this one build (test/e2e/helpers/build.ts).
const shared = built ? { SWITCHYARD_SKIP_BUILD: '1' } : {};
await Promise.all([vitestProject('unit', shared), vitestProject('integration', shared)]);
if (built) {
  await vitestProject('e2e', shared);
} else {
  console.log('\ne2e tests not run: the build failed');
}

console.log('\n=== trust-boundary figures (docs/security.md) ===');
run(process.execPath, ['scripts/security-report.mjs']);
console.log(`\nnpm test took ${Math.round((Date.now() - startedAt) / 1000)} s`);
if (failedSteps.length > 0) console.log(`Failed steps: ${failedSteps.join(', ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length > 0 ? 1 : 0);
