/**
 * The shipped worker picks its engine at start: the Claude Code coding agent where the
 * coding runtime can work (a workspace in its config, the claude CLI found), the command
 * adapter otherwise. Real processes: resources/agents/worker.mjs as the supervisor runs it.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const WORKER = fileURLToPath(new URL('../../../resources/agents/worker.mjs', import.meta.url));
const MANIFEST = JSON.parse(readFileSync(fileURLToPath(new URL('../../../resources/agents/worker.json', import.meta.url)), 'utf8')) as { config: Record<string, unknown> };

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Starts the worker with `config`; resolves with its stderr once it said hello, then ends it. */
function run(config: Record<string, unknown>, path: string): Promise<{ stderr: string; hello: Record<string, unknown> }> {
  const child = spawn(process.execPath, [WORKER], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: path, HOME: tmpdir(), SWITCHYARD_AGENT_NAME: 'worker', SWITCHYARD_AGENT_CONFIG: JSON.stringify(config), SWITCHYARD_HEARTBEAT_MS: '60000' },
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let hello: Record<string, unknown> | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((text) => text.includes('"hello"'));
      if (!line || hello) return;
      hello = JSON.parse(line) as Record<string, unknown>;
      // Its stdin closed: the app is gone, and the worker must end with it.
      child.stdin.end();
    });
    child.once('exit', (code) => (hello ? resolve({ stderr, hello }) : reject(new Error(`worker exited (${code}) before its hello:\n${stderr}`))));
  });
}

describe('the shipped worker', () => {
  it('is the command adapter without a workspace, or without the claude CLI', async () => {
    const plain = await run(MANIFEST.config, process.env.PATH ?? '');
    expect(plain.stderr).toContain('worker: the command adapter (no workspace folder in its config)');
    expect(plain.hello).toMatchObject({ type: 'hello', protocol: 1 });

    const workspace = mkdtempSync(join(tmpdir(), 'sy-worker-ws-'));
    dirs.push(workspace);
    const noCli = await run({ ...MANIFEST.config, workspace }, join(workspace, 'no-bin'));
    expect(noCli.stderr).toContain('worker: the command adapter (the claude CLI is not on PATH)');
  }, 30_000);

  it('is a Claude Code coding agent on its workspace where the claude CLI is found', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'sy-worker-ws-'));
    dirs.push(workspace);
    const bin = join(workspace, '.bin');
    mkdirSync(bin);
    // Found, never run: the worker only starts; a task would run it.
    writeFileSync(join(bin, 'claude'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(bin, 'claude'), 0o755);
    const coding = await run({ ...MANIFEST.config, workspace }, `${bin}${delimiter}${process.env.PATH ?? ''}`);
    expect(coding.stderr).toContain(`worker: a Claude Code coding agent on ${workspace}`);
    expect(coding.hello).toMatchObject({ type: 'hello' });
  }, 60_000);
});
