/**
 * Starting an agent's process: `spawn` (never `fork`: hardened Electron builds turn
 * runAsNode off) in its own process group, with stdout framed into protocol lines and
 * stderr into log lines.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { SplitResult } from './line-splitter.js';
import { LineSplitter } from './line-splitter.js';
import type { LaunchSpec } from './manifest-store.js';
import { USE_PROCESS_GROUPS } from './process-group.js';

/** stderr lines longer than this are dropped (the log keeps 4 KiB of each anyway). */
const MAX_STDERR_LINE = 64 * 1024;

export interface ProcessListeners {
  onStdout(result: SplitResult): void;
  onStderr(text: string): void;
  onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void;
  /** A process error after a successful start (rare: a failed kill). */
  onError(error: Error): void;
}

/** Resolves with the running child once it has spawned, or with why it could not. */
export function spawnAgentProcess(
  spec: LaunchSpec,
  env: Record<string, string>,
  listeners: ProcessListeners,
): Promise<{ ok: true; child: ChildProcess } | { ok: false; error: Error }> {
  let child: ChildProcess;
  try {
    child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so stopping reaches whatever it forks (see process-group.ts).
      detached: USE_PROCESS_GROUPS,
      windowsHide: true,
    });
  } catch (error) {
    return Promise.resolve({ ok: false, error: error as Error });
  }
  return new Promise((resolve) => {
    let spawned = false;
    child.once('spawn', () => {
      spawned = true;
      wire(child, listeners);
      resolve({ ok: true, child });
    });
    child.on('error', (error) => {
      if (spawned) listeners.onError(error);
      else resolve({ ok: false, error });
    });
  });
}

function wire(child: ChildProcess, listeners: ProcessListeners): void {
  const out = new LineSplitter();
  child.stdout?.on('data', (chunk: Buffer) => out.push(chunk).forEach((r) => listeners.onStdout(r)));
  child.stdout?.on('end', () => out.end().forEach((r) => listeners.onStdout(r)));
  const err = new LineSplitter(MAX_STDERR_LINE);
  const onErr = (r: SplitResult): void => listeners.onStderr(r.kind === 'line' ? r.text : `(a ${r.bytes}-byte line was dropped)`);
  child.stderr?.on('data', (chunk: Buffer) => err.push(chunk).forEach(onErr));
  child.stderr?.on('end', () => err.end().forEach(onErr));
  // EPIPE when the agent closed its stdin or died: the exit listener reports that.
  child.stdin?.on('error', () => undefined);
  child.once('exit', (code, signal) => listeners.onExit(child, code, signal));
}
