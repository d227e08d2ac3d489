/**
 * The turn's CLI process: settle() returns once it has exited, and stops one that
 * outstays its time, with SIGKILL when it ignores SIGTERM. Real child processes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ClaudeProcess } from '../../../src/core/coding/claude-process.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('ClaudeProcess', () => {
  const started: ClaudeProcess[] = [];
  afterEach(async () => {
    for (const p of started.splice(0)) await p.settle({ exitMs: 0, termMs: 100 });
  });

  const start = (script: string, stderr: string[] = []): { cli: ClaudeProcess; pid: number } => {
    const cli = new ClaudeProcess((data) => stderr.push(data));
    started.push(cli);
    cli.spawn({ command: process.execPath, args: ['-e', script], env: { PATH: process.env.PATH }, signal: new AbortController().signal });
    return { cli, pid: cli.pid! };
  };

  it('waits for a CLI that exits by itself, and hands its stderr on', async () => {
    const stderr: string[] = [];
    const { cli, pid } = start("process.stderr.write('bye'); process.stdin.on('end', () => process.exit(0)); process.stdin.resume()", stderr);
    expect(alive(pid)).toBe(true);
    const settled = cli.settle({ exitMs: 30_000, termMs: 30_000 });
    // Closing stdin is what the SDK does when a turn ends.
    setImmediate(() => cli['child']?.stdin?.end());
    await settled;
    expect(alive(pid)).toBe(false);
    expect(stderr.join('')).toBe('bye');
  });

  it('stops one that stays: SIGTERM, then SIGKILL when SIGTERM is ignored', async () => {
    const { cli, pid } = start("process.on('SIGTERM', () => {}); process.stderr.write('ready'); setInterval(() => {}, 1000)");
    await new Promise<void>((resolve) => cli['child']?.stderr?.once('data', () => resolve()));
    await cli.settle({ exitMs: 50, termMs: 200 });
    expect(alive(pid)).toBe(false);
    expect(cli['child']?.signalCode).toBe('SIGKILL');
  });
});
