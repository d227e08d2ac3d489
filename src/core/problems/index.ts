/**
 * Problems said aloud: the centre and the watchers that feed it, composed for a core,
 * with the contract handlers core.ts spreads into its table.
 *
 * Sources: the link's state (auth failure, down too long), its refusals and permission
 * violations, the registry's feed (crash loops), the outbox's size and the router's
 * failures. Each also stays on the console for operators; none is left only there.
 */
import type { ProblemsChanged } from '../../shared/problems.js';
import type { AgentInfo } from '../../shared/domain.js';
import type { AgentRef } from '../../shared/registry-query.js';
import type { ConnectionState } from '../../shared/connection.js';
import type { Clock } from '../clock.js';
import { scheduleOn } from '../clock.js';
import type { Handlers } from '../dispatch.js';
import type { LinkProblem } from '../remote/index.js';
import type { RoutingProblem } from '../router/index.js';
import { AgentWatch } from './agent-watch.js';
import { LinkWatch } from './link-watch.js';
import { ProblemCenter } from './problem-center.js';
import { LINK_REGISTRY_ID, OUTBOX_ID, outboxGrowing, permissionRefused, registryMissing, registrationProblemId, registrationRefused, routerTrouble, spawnFailed, spawnRefused } from './reports.js';
import type { ProblemReport } from './problem-center.js';
import type { ProblemThresholds } from './thresholds.js';

export { ProblemCenter, MAX_PROBLEMS } from './problem-center.js';
export type { ProblemReport } from './problem-center.js';
export { DEFAULT_THRESHOLDS, LINK_DOWN_ENV, OUTBOX_ENV, thresholdsOf } from './thresholds.js';
export type { ProblemThresholds } from './thresholds.js';

/** A router error that has not repeated for this long is resolved. */
export const ROUTER_QUIET_MS = 60_000;

export type ProblemCallName = 'problems.list' | 'problems.dismiss';

/** What the outbox watch reads. */
export interface OutboxGauge {
  size(): number;
  largest(): { repo: string; to: string; count: number } | undefined;
}

export interface Problems {
  readonly center: ProblemCenter;
  readonly handlers: Pick<Handlers, ProblemCallName>;
  /** Each `connection.changed`. */
  connection(state: ConnectionState): void;
  /** Each registry change batch. */
  agents(batch: { upserts: readonly AgentInfo[]; removals: readonly AgentRef[] }): void;
  /** A refusal, a later registration, a permission violation from the remote link. */
  link(problem: LinkProblem): void;
  /** A routing failure nobody else hears of. */
  routing(problem: RoutingProblem): void;
  /** Looks at the outbox's size (after messages were routed or the link changed). */
  checkOutbox(): void;
  close(): void;
}

export interface ProblemsOptions {
  clock: Clock;
  thresholds: ProblemThresholds;
  /** The repo this desktop works in (refusals name agents in it). */
  repo: () => string;
  outbox: () => OutboxGauge | undefined;
  emit: (change: ProblemsChanged) => void;
}

function errorOf(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}

export function createProblems(options: ProblemsOptions): Problems {
  const center = new ProblemCenter(options.clock, options.emit);
  const linkWatch = new LinkWatch(center, options.clock, options.thresholds.linkDownAfterMs);
  const agentWatch = new AgentWatch(center);
  const alertAt = options.thresholds.outboxAlertAt;
  /** Per problem id: the resolve scheduled for when it has been quiet long enough. */
  const quiet = new Map<string, () => void>();
  /** Raises a problem nothing reports "fixed" for: it counts as cleared once it stopped repeating for a while. */
  const quietly = (report: ProblemReport): void => {
    center.raise(report);
    quiet.get(report.id)?.();
    quiet.set(
      report.id,
      scheduleOn(options.clock, ROUTER_QUIET_MS, () => {
        quiet.delete(report.id);
        center.resolve(report.id);
      }),
    );
  };

  const checkOutbox = (): void => {
    const outbox = options.outbox();
    if (!outbox) return;
    const size = outbox.size();
    if (size >= alertAt && !center.holds(OUTBOX_ID)) {
      const largest = outbox.largest();
      center.raise(outboxGrowing(size, alertAt, largest && { to: `${largest.repo}/${largest.to}`, count: largest.count }));
    } else if (size <= Math.floor(alertAt / 2)) center.resolve(OUTBOX_ID);
  };

  return {
    center,
    handlers: {
      'problems.list': () => center.list(),
      'problems.dismiss': ({ ids }) => ({ dismissed: center.dismiss(ids) }),
    },
    connection: (state) => {
      linkWatch.update(state);
      checkOutbox();
    },
    agents: (batch) => agentWatch.update(batch),
    link: (problem) => {
      switch (problem.kind) {
        case 'refused':
          center.raise(registrationRefused(options.repo(), problem.agent, problem.wire, problem.error));
          return;
        case 'registered':
          center.resolve(registrationProblemId(options.repo(), problem.agent));
          return;
        case 'permission':
          center.raise(permissionRefused(problem.reason));
          return;
        case 'registry-missing':
          center.raise(registryMissing(options.repo(), problem.reason));
          return;
        case 'registry-synced':
          center.resolve(LINK_REGISTRY_ID);
          return;
      }
    },
    routing: (problem) => {
      switch (problem.kind) {
        case 'error': {
          // Nothing reports "fixed" for these (a consumer that recovers just goes on).
          quietly(routerTrouble('error', errorOf(problem.error).message));
          return;
        }
        case 'traces':
          quietly(routerTrouble('traces', errorOf(problem.error).message));
          return;
        case 'worker-task':
          center.raise(routerTrouble('worker-task', `${problem.worker}: ${errorOf(problem.error).message}`));
          return;
        case 'spawn-failed': {
          const error = errorOf(problem.error);
          center.raise(problem.atTeam ? spawnRefused(problem.repo, problem.by, problem.type, error) : spawnFailed(problem.repo, problem.by, problem.type, error));
          return;
        }
      }
    },
    checkOutbox,
    close: () => {
      linkWatch.close();
      for (const cancel of quiet.values()) cancel();
      quiet.clear();
    },
  };
}
