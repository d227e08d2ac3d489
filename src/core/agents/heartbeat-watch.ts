/**
 * The health-check side of one supervised agent: when it was last heard from, and
 * whether it has been declared unresponsive for missing its heartbeats.
 */
import type { AgentManifest } from '../../shared/manifest.js';

export type HealthCheck = AgentManifest['healthCheck'];

export class HeartbeatWatch {
  private lastSeen = 0;
  private silent = false;

  /** A fresh process: heard from now, not unresponsive. */
  reset(now: number): void {
    this.lastSeen = now;
    this.silent = false;
  }

  /** True once the agent was declared unresponsive (until it is heard from again). */
  get unresponsive(): boolean {
    return this.silent;
  }

  /** A heartbeat or hello; returns whether it had been unresponsive. */
  heard(now: number): boolean {
    const was = this.silent;
    this.lastSeen = now;
    this.silent = false;
    return was;
  }

  /**
   * Declares the agent unresponsive when it has been silent longer than the manifest
   * allows; returns the warning to log then, or undefined while it is within bounds.
   */
  overdue(now: number, { intervalMs, failureThreshold }: Pick<HealthCheck, 'intervalMs' | 'failureThreshold'>): string | undefined {
    if (this.silent) return undefined;
    const silentFor = now - this.lastSeen;
    const limit = intervalMs * failureThreshold;
    if (silentFor <= limit) return undefined;
    this.silent = true;
    return `no heartbeat for ${silentFor} ms (limit ${limit} ms): unreachable`;
  }
}
