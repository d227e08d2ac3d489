/**
 * The liveness sweep: an agent that misses heartbeats becomes `unreachable`, one silent
 * past the stale threshold `terminated`, and a terminated record is deleted after the
 * retention time.
 *
 * Several coordinators may sweep at once. Each verdict is written with compare-and-set
 * and re-decided on the value that won, so a heartbeat that lands mid-sweep is never
 * overwritten and two sweepers never fight.
 */
import type { Clock } from '../core/clock.js';
import type { AgentInfo } from '../shared/domain.js';
import type { LivenessSettings } from './config.js';
import type { Logger } from './log.js';
import type { RegistryStore } from './registry-store.js';

export type Verdict = 'unreachable' | 'terminated' | 'delete';

/** The sweep's verdict on one record at `now`, or undefined when it is fine. */
export function livenessVerdict(info: AgentInfo, now: number, settings: LivenessSettings): Verdict | undefined {
  const silence = now - info.lastHeartbeat;
  if (info.status === 'terminated') {
    return silence >= settings.staleAfterMs + settings.retainTerminatedMs ? 'delete' : undefined;
  }
  if (silence >= settings.staleAfterMs) return 'terminated';
  if (info.status === 'unreachable') return undefined;
  const interval = heartbeatIntervalOf(info, settings);
  return silence >= interval * settings.failureThreshold ? 'unreachable' : undefined;
}

/** An agent may announce a slower interval in `metadata.heartbeatIntervalMs`; never faster than 50 ms. */
function heartbeatIntervalOf(info: AgentInfo, settings: LivenessSettings): number {
  const own = info.metadata.heartbeatIntervalMs;
  return typeof own === 'number' && Number.isFinite(own) && own >= 50 ? own : settings.heartbeatIntervalMs;
}

export interface SweepResult {
  unreachable: number;
  terminated: number;
  deleted: number;
}

/** One pass over the registry; `served` limits it to this coordinator's repos. */
export async function sweepOnce(
  store: RegistryStore,
  settings: LivenessSettings,
  clock: Clock,
  served: ReadonlySet<string> | undefined,
): Promise<SweepResult> {
  const result: SweepResult = { unreachable: 0, terminated: 0, deleted: 0 };
  const now = clock.now();
  const due = [...store.all()].filter(
    ({ info }) => (!served || served.has(info.repo)) && livenessVerdict(info, now, settings) !== undefined,
  );
  for (const { info } of due) {
    let applied: Verdict | undefined;
    await store.mutate(info.repo, info.name, (current) => {
      applied = current ? livenessVerdict(current.info, clock.now(), settings) : undefined;
      if (!current || !applied) return { keep: true };
      if (applied === 'delete') return { delete: true };
      return { put: { ...current.info, status: applied } };
    });
    if (applied === 'unreachable') result.unreachable++;
    else if (applied === 'terminated') result.terminated++;
    else if (applied === 'delete') result.deleted++;
  }
  return result;
}

/** Runs the sweep on a timer until stopped; a failed pass is logged and the next one runs. */
export function startSweeper(
  store: RegistryStore,
  settings: LivenessSettings,
  clock: Clock,
  served: ReadonlySet<string> | undefined,
  log: Logger,
  afterSweep?: () => Promise<void>,
  /** Sees each pass's duration and result (undefined when it failed): the metrics. */
  observe?: (seconds: number, result: SweepResult | undefined) => void,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    const began = performance.now();
    sweepOnce(store, settings, clock, served)
      .then(
        (result) => {
          observe?.((performance.now() - began) / 1000, result);
          return result;
        },
        (error: unknown) => {
          observe?.((performance.now() - began) / 1000, undefined);
          throw error;
        },
      )
      .then(async (result) => {
        if (result.unreachable + result.terminated + result.deleted > 0) log.info('liveness sweep', { ...result });
        await afterSweep?.();
      })
      .catch((error: unknown) => log.warn('liveness sweep failed', { error: String(error) }))
      .finally(() => (running = false));
  }, settings.sweepIntervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
