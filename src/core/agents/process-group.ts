/**
 * Signals for a supervised agent's whole process group.
 *
 * Agents are spawned as leaders of their own process group (`detached: true` on POSIX),
 * so an agent that forks helpers (a coding agent's CLI, a shell pipeline) is stopped
 * with all of them: a signal to `-pid` reaches every member. Windows has no process
 * groups in this sense; there the direct child is signalled.
 */
import type { ChildProcess } from 'node:child_process';

export const USE_PROCESS_GROUPS = process.platform !== 'win32';

/** Sends `signal` to the child's group; false when nothing was there to signal. */
export function signalGroup(child: ChildProcess | undefined, pid: number | null, signal: NodeJS.Signals): boolean {
  if (pid === null) return false;
  if (USE_PROCESS_GROUPS) {
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      // ESRCH: the group is gone. EPERM cannot happen for our own children.
    }
  }
  try {
    if (child) return child.kill(signal);
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
