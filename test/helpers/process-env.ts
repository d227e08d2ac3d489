/**
 * Finding a test's child processes by a value in their environment (Linux /proc): the
 * coding-agent SDKs start their CLIs without telling us the PID, but each test gives its
 * CLI a home folder of its own, so `CODEX_HOME=<that folder>` names exactly its processes.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** PIDs of live processes whose environment holds `name=value`. */
export function pidsWithEnv(name: string, value: string): number[] {
  const wanted = `${name}=${value}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      const state = /^\S+ \(.*\) (\S)/.exec(readFileSync(`/proc/${entry}/stat`, 'utf8'))?.[1];
      // A zombie has exited; it only waits for its parent to read its status.
      if (environ.includes(wanted) && state !== 'Z') pids.push(Number(entry));
    } catch {
      // Gone between the listing and the read, or not ours to read.
    }
  }
  return pids;
}
