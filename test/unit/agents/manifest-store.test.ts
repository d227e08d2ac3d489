import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentEnvironment } from '../../../src/core/agents/child-env.js';
import { ManifestStore, launchSpec } from '../../../src/core/agents/manifest-store.js';
import { AgentManifest } from '../../../src/shared/manifest.js';

describe('ManifestStore', () => {
  const dirs: string[] = [];
  const temp = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-manifests-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('loads both folders, lets user manifests override builtin ones, and reports bad files', () => {
    const builtinDir = temp();
    const userDir = temp();
    writeFileSync(join(builtinDir, 'echo.json'), JSON.stringify({ type: 'echo', command: 'node', args: ['./echo.mjs'] }));
    writeFileSync(join(builtinDir, 'other.json'), JSON.stringify({ type: 'other', command: 'x' }));
    writeFileSync(join(userDir, 'echo.json'), JSON.stringify({ type: 'echo', command: 'python3' }));
    writeFileSync(join(userDir, 'broken.json'), '{');
    writeFileSync(join(userDir, 'invalid.json'), JSON.stringify({ type: 'bad type!', command: '' }));
    const { manifests, problems } = new ManifestStore({ builtinDir, userDir }).load();
    expect(manifests.map((m) => [m.manifest.type, m.source, m.manifest.command])).toEqual([
      ['echo', 'user', 'python3'],
      ['other', 'builtin', 'x'],
    ]);
    expect(problems.map((p) => p.file).sort()).toEqual([join(userDir, 'broken.json'), join(userDir, 'invalid.json')]);
  });

  it('installs atomically, checks dependencies and refuses to overwrite unless asked', () => {
    const userDir = temp();
    const store = new ManifestStore({ userDir });
    const manifest = AgentManifest.parse({ type: 'reviewer', command: 'node', dependencies: ['echo'] });
    expect(() => store.install(manifest, { replace: false, isAvailable: () => false })).toThrow(/DependencyMissing|needs "echo"/);
    store.install(manifest, { replace: false, isAvailable: (t) => t === 'echo' });
    const file = join(userDir, 'reviewer.json');
    expect(AgentManifest.parse(JSON.parse(readFileSync(file, 'utf8')))).toEqual(manifest);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(() => store.install(manifest, { replace: false, isAvailable: () => true })).toThrow(/already installed/);
    store.install({ ...manifest, description: 'v2' }, { replace: true, isAvailable: () => true });
    expect(store.get('reviewer')?.manifest.description).toBe('v2');
  });

  it('resolves ./ and ../ arguments and the cwd against the manifest folder', () => {
    const folder = temp();
    const manifest = AgentManifest.parse({ type: 'a', command: 'node', args: ['./a.mjs', '--flag', '../b'], cwd: 'work' });
    expect(launchSpec({ manifest, source: 'user', file: join(folder, 'a.json'), folder })).toEqual({
      command: 'node',
      args: [resolve(folder, 'a.mjs'), '--flag', resolve(folder, '../b')],
      cwd: resolve(folder, 'work'),
    });
  });
});

describe('agentEnvironment', () => {
  it('passes only the basics, the manifest env and SWITCHYARD_* identity, which a manifest cannot fake', () => {
    const env = agentEnvironment(
      { name: 'echo-2', type: 'echo', repo: 'r', instanceId: 'i', heartbeatIntervalMs: 100, maxConcurrentTasks: 2, config: { a: 1 } },
      { FOO: 'bar', SWITCHYARD_AGENT_NAME: 'fake' },
      { PATH: '/bin', HOME: '/home/me', SWITCHYARD_API_TOKEN: 'secret', NODE_OPTIONS: '--inspect', AWS_SECRET_ACCESS_KEY: 'x' },
    );
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/home/me',
      FOO: 'bar',
      SWITCHYARD_PROTOCOL: '1',
      SWITCHYARD_AGENT_NAME: 'echo-2',
      SWITCHYARD_AGENT_TYPE: 'echo',
      SWITCHYARD_REPO: 'r',
      SWITCHYARD_INSTANCE_ID: 'i',
      SWITCHYARD_HEARTBEAT_MS: '100',
      SWITCHYARD_MAX_CONCURRENT_TASKS: '2',
      SWITCHYARD_AGENT_CONFIG: '{"a":1}',
    });
  });

  it('gives an agent its state folder as SWITCHYARD_STATE_DIR when it has one', () => {
    const identity = { name: 'claude-code', type: 'claude-code', repo: 'r', instanceId: 'i', heartbeatIntervalMs: 100, maxConcurrentTasks: 1, config: {} };
    const env = agentEnvironment({ ...identity, stateDir: '/data/agent-state/r/claude-code' }, { SWITCHYARD_STATE_DIR: '/elsewhere' }, {});
    expect(env.SWITCHYARD_STATE_DIR).toBe('/data/agent-state/r/claude-code');
  });
});
