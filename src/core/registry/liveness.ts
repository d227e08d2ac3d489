/**
 * The liveness sweep: silent local agents become unreachable, then terminated, and
 * terminated ones are deleted after a retention time.
 *
 * Only `location = 'local'` records are swept. Remote records are the coordinator's to
 * judge (it sees their heartbeats; the mirror may not), and it publishes their status
 * changes and deletions through applyRemote / removeRemote.
 */
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import { parseUnknown } from '../../shared/parse.js';
import type { AgentRow } from './row-mapping.js';
import { RETURNING_COLUMNS } from './row-mapping.js';
import type { LivenessPolicy } from './types.js';

/** The defaults, documented in docs/registry.md. */
export const DEFAULT_LIVENESS: LivenessPolicy = {
  heartbeatIntervalMs: 5_000,
  failureThreshold: 3,
  staleAfterMs: 5 * 60_000,
  retainTerminatedMs: 60 * 60_000,
};

const PositiveInt = z.number().int().positive();
const PolicyOverrides = z
  .object({
    heartbeatIntervalMs: PositiveInt,
    failureThreshold: PositiveInt,
    staleAfterMs: PositiveInt,
    retainTerminatedMs: z.number().int().nonnegative(),
  })
  .partial()
  .strict();

/** The defaults with the caller's overrides applied, checked. */
export function resolveLiveness(overrides: Partial<LivenessPolicy> = {}): LivenessPolicy {
  return { ...DEFAULT_LIVENESS, ...parseUnknown(PolicyOverrides, overrides, 'liveness policy') };
}

/** What one sweep changed, before it is counted and announced. */
export interface SweepChanges {
  unreachable: AgentRow[];
  terminated: AgentRow[];
  deleted: Array<{ id: number; repo: string; name: string }>;
}

/** The sweep's three statements, prepared once. */
export class LivenessSweeper {
  private readonly terminate: Statement<Record<string, number>, AgentRow>;
  private readonly markUnreachable: Statement<Record<string, number>, AgentRow>;
  private readonly expired: Statement<Record<string, number>, { id: number; repo: string; name: string }>;

  constructor(
    db: Database,
    private readonly policy: LivenessPolicy,
  ) {
    // An agent's own interval (metadata.heartbeatIntervalMs) replaces the policy's. The
    // stale threshold never undercuts the unreachable window, so an agent with a long
    // interval still passes through `unreachable` first.
    const window = 'COALESCE(a.heartbeat_interval_ms, @interval) * @threshold';
    const set = 'status_changed_at = @now, swept = 1, revision = @revision, local_revision = @revision';
    this.terminate = db.prepare(
      `UPDATE agents AS a SET status = 'terminated', ${set}
       WHERE a.location = 'local' AND a.status <> 'terminated'
         AND a.last_heartbeat < @now - MAX(@stale, ${window})
       RETURNING ${RETURNING_COLUMNS}`,
    );
    this.markUnreachable = db.prepare(
      `UPDATE agents AS a SET status = 'unreachable', ${set}
       WHERE a.location = 'local' AND a.status IN ('active', 'idle', 'busy')
         AND a.last_heartbeat < @now - ${window}
       RETURNING ${RETURNING_COLUMNS}`,
    );
    this.expired = db.prepare(
      `SELECT a.id, a.repo, a.name FROM agents a
       WHERE a.location = 'local' AND a.status = 'terminated' AND a.status_changed_at < @now - @retain`,
    );
  }

  /**
   * Applies the policy at `now`, stamping changed rows with `revision`. Call inside the
   * operation's transaction; `deleted` lists rows the caller must still delete.
   */
  sweep(now: number, revision: number): SweepChanges {
    const p = this.policy;
    const params = {
      now,
      revision,
      interval: p.heartbeatIntervalMs,
      threshold: p.failureThreshold,
      stale: p.staleAfterMs,
    };
    // Expired first, so an agent terminated in this very sweep is not deleted with it.
    const deleted = this.expired.all({ now, retain: p.retainTerminatedMs });
    const terminated = this.terminate.all(params);
    const unreachable = this.markUnreachable.all(params);
    return { unreachable, terminated, deleted };
  }
}
