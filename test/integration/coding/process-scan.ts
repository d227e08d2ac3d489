/**
 * Which processes run with a given CLAUDE_CONFIG_DIR (Linux /proc): each test's CLI gets
 * a fresh temporary one, so this finds that test's CLI and anything it started, by a
 * marker no other process has, never by a program name.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** PIDs of live processes whose environment has CLAUDE_CONFIG_DIR=configDir. */
export function cliProcesses(configDir: string): number[] {
  const marker = `CLAUDE_CONFIG_DIR=${configDir}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) pids.push(Number(entry));
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return pids;
}
