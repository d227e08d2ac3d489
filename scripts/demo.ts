/**
 * `npm run demo`: one command for the whole hybrid picture — a nats-server on free
 * ports, the coordinator with the demo team, the app in hybrid mode (Electron where it
 * can run, otherwise the headless host, whose URL it prints) and a workspace agent
 * whose scripted work makes real local ↔ remote traffic. Ctrl-C stops everything.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startDemoTopology } from './demo/topology.js';
import { startWorkspaceDriver } from './demo/workspace-driver.js';

const ROOT = resolve(import.meta.dirname, '..');
const log = (line: string): void => console.log(`[demo] ${line}`);

function hasNatsServer(): boolean {
  return spawnSync('sh', ['-c', 'command -v nats-server'], { stdio: 'ignore' }).status === 0;
}

function electronCanRun(): boolean {
  if (process.env.SWITCHYARD_DEMO_HEADLESS === '1') return false;
  const hasBinary = existsSync(join(ROOT, 'node_modules', 'electron', 'path.txt'));
  const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  return hasBinary && hasDisplay;
}

async function startApp(dataDir: string): Promise<ChildProcess> {
  const build = spawnSync(join(ROOT, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  const env = { ...process.env, SWITCHYARD_DATA_DIR: dataDir };
  if (electronCanRun()) {
    const native = spawnSync(process.execPath, [join(ROOT, 'scripts', 'electron-native.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (native.status === 0) {
      log('starting the desktop app (Electron)');
      return spawn(join(ROOT, 'node_modules', '.bin', 'electron'), ['.'], { cwd: ROOT, env, stdio: 'inherit' });
    }
    log('Electron is not usable here; using the headless host instead');
  }
  const app = spawn(process.execPath, [join(ROOT, 'out', 'main', 'headless.js'), '--data-dir', dataDir], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  app.stdout?.on('data', (chunk: Buffer) => {
    const match = /running at (\S+)/.exec(chunk.toString());
    if (match) log(`open ${match[1]} in your browser`);
  });
  return app;
}

async function main(): Promise<void> {
  if (!hasNatsServer()) {
    console.error(
      'npm run demo needs nats-server on PATH.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y nats-server\n' +
        '  macOS:         brew install nats-server\n' +
        '  elsewhere:     https://docs.nats.io/running-a-nats-service/introduction/installation',
    );
    process.exit(2);
  }
  const topology = await startDemoTopology({ log });
  const app = await startApp(topology.dataDir);
  const driver = await startWorkspaceDriver(topology.dataDir, { log });

  let stopping = false;
  const stop = async (code = 0): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    driver.stop();
    if (app.exitCode === null) {
      await new Promise<void>((done) => {
        const kill = setTimeout(() => app.kill('SIGKILL'), 8_000);
        app.once('exit', () => {
          clearTimeout(kill);
          done();
        });
        app.kill('SIGTERM');
      });
    }
    await topology.dispose();
    process.exit(code);
  };
  app.once('exit', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  log('running: Ctrl-C stops the app, the coordinator and nats-server');
}

main().catch((error: unknown) => {
  console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
