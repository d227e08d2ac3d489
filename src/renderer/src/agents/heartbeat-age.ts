/**
 * How long ago an agent last sent a heartbeat, in the few characters a table cell has.
 */

/** "now", "12s", "4m 05s", "2h 10m", "3d 4h"; "never" for no heartbeat; "now" if the clock skews ahead. */
export function formatHeartbeatAge(lastHeartbeat: number, now: number): string {
  if (!Number.isFinite(lastHeartbeat) || lastHeartbeat <= 0) return 'never';
  const seconds = Math.floor((now - lastHeartbeat) / 1000);
  if (seconds < 1) return 'now';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${minutes % 60}m`;
  const days = Math.floor(hours / 24);
  return `${days}d ${hours % 24}h`;
}

/** How fresh a heartbeat is, for colouring: fresh under 30 s, stale under 2 min, then old. */
export function heartbeatFreshness(lastHeartbeat: number, now: number): 'fresh' | 'stale' | 'old' {
  const age = now - lastHeartbeat;
  if (lastHeartbeat <= 0) return 'old';
  if (age < 30_000) return 'fresh';
  if (age < 120_000) return 'stale';
  return 'old';
}
