/**
 * The CLI process of one turn, spawned by the driver rather than the SDK
 * (`spawnClaudeCodeProcess`) so the driver holds it: a turn does not end while its CLI
 * still runs. Measured with SDK 0.3.328: on an abort, `query()` throws before the CLI
 * has exited (and, without an interrupt, while it still waits out a 2 s grace), so a
 * caller told "cancelled" could still see the CLI at work. `settle()` waits for the exit
 * (bounded), then stops it: SIGTERM, and SIGKILL if that is ignored. It also lets a
 * failure quote the CLI's whole stderr.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { SpawnedProcess, SpawnOptions } from '@anthropic-ai/claude-agent-sdk';

export interface SettleTimes {
  /** How long the CLI may take to exit by itself once the turn is over. */
  exitMs: number;
  /** How long it gets after SIGTERM before SIGKILL. */
  termMs: number;
}

export const SETTLE_TIMES: SettleTimes = { exitMs: 3_000, termMs: 2_000 };

export class ClaudeProcess {
  private child: ChildProcess | undefined;
  /** Resolves when the CLI has exited and its output is read to the end (`close`). */
  private closed: Promise<void> = Promise.resolve();

  constructor(private readonly onStderr: (data: string) => void) {}

  /** For `Options.spawnClaudeCodeProcess`. */
  readonly spawn = (options: SpawnOptions): SpawnedProcess => {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: options.signal,
      windowsHide: true,
    });
    this.child = child;
    this.closed = new Promise((resolve) => {
      child.once('close', () => resolve());
      child.once('error', () => resolve());
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (data: string) => this.onStderr(data));
    return child;
  };

  /** The CLI's pid while it runs. */
  get pid(): number | undefined {
    return this.running() ? this.child?.pid : undefined;
  }

  /**
   * Resolves once the CLI has exited and its stderr is read; stops it if it outstays
   * `times`. Bounded even if something the CLI started keeps its stderr open.
   */
  async settle(times: SettleTimes = SETTLE_TIMES): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (await this.closedWithin(times.exitMs)) return;
    if (this.running()) child.kill('SIGTERM');
    if (await this.closedWithin(times.termMs)) return;
    if (this.running()) child.kill('SIGKILL');
    await this.closedWithin(times.termMs);
  }

  private running(): boolean {
    const child = this.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  private closedWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    return Promise.race([this.closed.then(() => true), late]).finally(() => clearTimeout(timer));
  }
}
