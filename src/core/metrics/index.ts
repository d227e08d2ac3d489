/**
 * Metrics of a desktop core: per-agent statistics (always on: `agents.metrics` answers
 * from them) and, opt-in, a Prometheus `/metrics` on 127.0.0.1 (SWITCHYARD_METRICS_PORT,
 * docs/configuration.md).
 */
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { parseUnknown } from '../../shared/parse.js';
import type { Clock } from '../clock.js';
import type { Handlers } from '../dispatch.js';
import type { AgentRegistry } from '../registry/index.js';
import type { Routing } from '../router/index.js';
import { AgentMetricsRecorder } from './agent-metrics.js';
import { AgentMetricsStore } from './agent-metrics-store.js';
import { DesktopMetrics } from './desktop-metrics.js';
import type { MetricsServer } from './metrics-http.js';
import { DEFAULT_METRICS_HOST, startMetricsServer } from './metrics-http.js';

export { startMetricsServer, parseMetricsListen, MetricsListenText, DEFAULT_METRICS_HOST } from './metrics-http.js';
export type { MetricsListen, MetricsServer } from './metrics-http.js';

export const METRICS_PORT_ENV = 'SWITCHYARD_METRICS_PORT';
const CHECKPOINT_MS = 60_000;

const PortFromEnv = z.object({
  [METRICS_PORT_ENV]: z.coerce.number().int().min(0).max(65_535).optional(),
});

/** The port from the environment, undefined when unset; a bad value is a ValidationError. */
export function metricsPortOf(env: NodeJS.ProcessEnv): number | undefined {
  const value = env[METRICS_PORT_ENV];
  return parseUnknown(PortFromEnv, { [METRICS_PORT_ENV]: value === '' ? undefined : value }, 'environment')[METRICS_PORT_ENV];
}

/** The port a core serves /metrics on: the option, else the environment's; `false` turns it off. */
export function metricsPortFor(option: number | false | undefined, env: NodeJS.ProcessEnv): number | undefined {
  if (option === false) return undefined;
  return option ?? metricsPortOf(env);
}

export interface CoreMetricsOptions {
  db: Database;
  clock: Clock;
  registry: AgentRegistry;
  routing: Routing;
  /** The repo an `agents.metrics` without `repo` asks about: the config's. */
  repo: () => string;
  /** Serve /metrics on 127.0.0.1 at this port (0: any free one); off when undefined. */
  port: number | undefined;
}

export interface CoreMetrics {
  handlers: Pick<Handlers, 'agents.metrics'>;
  /** Where /metrics is served, when it is. */
  readonly url: string | undefined;
  close(): Promise<void>;
}

export async function startCoreMetrics(options: CoreMetricsOptions): Promise<CoreMetrics> {
  const { clock, registry, routing } = options;
  const store = new AgentMetricsStore(options.db);
  let prometheus: DesktopMetrics | undefined;
  const recorder = new AgentMetricsRecorder(store, clock, {
    task: (record) => prometheus?.task(record),
    restart: (repo, agent, count) => prometheus?.restart(repo, agent, count),
  });
  recorder.begin(registry.discover({}));
  const stops = [
    registry.onChange((batch) => recorder.agentsChanged(batch)),
    routing.onMessage((message, stage) => {
      recorder.message(message);
      prometheus?.message(message, stage);
    }),
  ];
  const timer = setInterval(() => recorder.tick(), CHECKPOINT_MS);
  timer.unref();
  let server: MetricsServer | undefined;
  if (options.port !== undefined) {
    prometheus = new DesktopMetrics({
      clock,
      outboxSize: () => routing.router.outbox.size(),
      statusCounts: () => recorder.statusCounts().values(),
      supervised: () => recorder.supervised(),
      uptimePct: (repo, agent, window) => recorder.metrics({ repo, name: agent, window }, true).uptimePct,
    });
    server = await startMetricsServer(prometheus.registry, { host: DEFAULT_METRICS_HOST, port: options.port });
  }
  return {
    handlers: {
      'agents.metrics': (input) => {
        const repo = input.repo ?? options.repo();
        return recorder.metrics({ name: input.name, repo, window: input.window ?? '24h' }, registry.get({ repo, name: input.name }) !== undefined);
      },
    },
    url: server?.url,
    async close() {
      clearInterval(timer);
      for (const stop of stops) stop();
      await server?.close();
      recorder.close();
    },
  };
}
