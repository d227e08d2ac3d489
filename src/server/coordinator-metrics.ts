/**
 * The coordinator's Prometheus metrics (docs/coordinator.md, Metrics): requests by
 * operation and outcome, the registry by status, liveness sweeps, spawns, messages its
 * agents send and receive, and the lag of its inbox consumers.
 *
 * Labels stay low-cardinality: operations, outcomes, statuses and served repos are small
 * fixed sets; agent names never appear (a team may hold thousands). What lives elsewhere
 * (the registry cache, JetStream consumer state) is read when Prometheus scrapes, so
 * nothing is kept twice.
 */
import type { NatsConnection } from 'nats.ws';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { AgentStatus } from '../shared/domain.js';
import type { CoordinatorEndpoint } from '../shared/coordinator-protocol.js';
import type { SpawnResponse } from '../shared/domain.js';
import { MESSAGE_STREAM } from '../shared/nats-subjects.js';
import type { RegistryStore } from './registry-store.js';
import type { SweepResult } from './liveness.js';

/** A request's outcome: `ok`, or the typed error's name (NotAllowed, ValidationError, …). */
export type RequestOutcome = string;
/** What became of a spawn: a worker `started`, `refused` (at the limit, or it failed to start), or `rejected` with a typed error. */
export type SpawnOutcome = 'started' | 'refused' | 'rejected';
/** A message to (`in`) or from (`out`) one of the coordinator's own agents. */
export type RoutedDirection = 'in' | 'out';
export type RoutedOutcome = 'delivered' | 'published' | 'rejected' | 'failed';

/** The inboxes the coordinator's own agents read (team-runner.ts), for consumer lag. */
export interface HostedConsumer {
  repo: string;
  durable: string;
}

export interface CoordinatorMetricsSources {
  store: RegistryStore;
  /** Its connection; absent or closed, the JetStream figures are skipped. */
  nc: () => NatsConnection | undefined;
  consumers: () => readonly HostedConsumer[];
  instance: string;
  version: string;
}

const PREFIX = 'switchyard_coordinator_';
const ERROR_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

export class CoordinatorMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'operation' | 'outcome'>;
  private readonly requestSeconds: Histogram<'operation'>;
  private readonly sweeps: Counter<'outcome'>;
  private readonly sweepSeconds: Histogram;
  private readonly verdicts: Counter<'verdict'>;
  private readonly spawns: Counter<'outcome' | 'by'>;
  private readonly routed: Counter<'direction' | 'outcome'>;

  constructor(private readonly sources: CoordinatorMetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: `${PREFIX}info`,
      // `coordinator`, not `instance`: Prometheus sets `instance` to the scrape target.
      help: 'Always 1: the running coordinator (its instance name) and its version.',
      labelNames: ['coordinator', 'version'],
      registers,
    }).set({ coordinator: sources.instance, version: sources.version }, 1);
    this.requests = new Counter({
      name: `${PREFIX}requests_total`,
      help: 'Requests this coordinator answered, by operation and outcome (ok or the error name).',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: `${PREFIX}request_duration_seconds`,
      help: 'Time from a request arriving to its reply, by operation.',
      labelNames: ['operation'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.sweeps = new Counter({ name: `${PREFIX}liveness_sweeps_total`, help: 'Liveness sweeps run, by outcome (ok, error).', labelNames: ['outcome'], registers });
    this.sweepSeconds = new Histogram({
      name: `${PREFIX}liveness_sweep_duration_seconds`,
      help: 'How long one liveness sweep over the registry took.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.verdicts = new Counter({
      name: `${PREFIX}liveness_verdicts_total`,
      help: 'Records the sweep changed: marked unreachable, terminated, or deleted.',
      labelNames: ['verdict'],
      registers,
    });
    this.spawns = new Counter({
      name: `${PREFIX}spawns_total`,
      help: 'Worker spawns, by outcome (started, refused, rejected) and by whom (member, team).',
      labelNames: ['outcome', 'by'],
      registers,
    });
    this.routed = new Counter({
      name: `${PREFIX}messages_routed_total`,
      help: "Messages of the coordinator's own agents: in (delivered, rejected) and out (published, failed).",
      labelNames: ['direction', 'outcome'],
      registers,
    });
    this.registryGauge(registers);
    this.jetStreamGauges(registers);
  }

  /** One answered request; `seconds` from its arrival. */
  request(operation: CoordinatorEndpoint, outcome: RequestOutcome, seconds: number): void {
    const label = outcome === 'ok' || ERROR_NAME.test(outcome) ? outcome : 'Error';
    this.requests.inc({ operation, outcome: label });
    this.requestSeconds.observe({ operation }, seconds);
  }

  sweep(seconds: number, result: SweepResult | undefined): void {
    this.sweeps.inc({ outcome: result ? 'ok' : 'error' });
    this.sweepSeconds.observe(seconds);
    if (!result) return;
    if (result.unreachable > 0) this.verdicts.inc({ verdict: 'unreachable' }, result.unreachable);
    if (result.terminated > 0) this.verdicts.inc({ verdict: 'terminated' }, result.terminated);
    if (result.deleted > 0) this.verdicts.inc({ verdict: 'deleted' }, result.deleted);
  }

  spawn(outcome: SpawnOutcome, by: 'member' | 'team'): void {
    this.spawns.inc({ outcome, by });
  }

  /** Counts a spawn by what it answered or threw, and passes the answer on. */
  async countSpawn(by: 'member' | 'team', spawn: () => Promise<SpawnResponse>): Promise<SpawnResponse> {
    try {
      const response = await spawn();
      this.spawn(response.error === undefined ? 'started' : 'refused', by);
      return response;
    } catch (error) {
      this.spawn('rejected', by);
      throw error;
    }
  }

  message(direction: RoutedDirection, outcome: RoutedOutcome): void {
    this.routed.inc({ direction, outcome });
  }

  /** Registry records by repo and status, read from the coordinator's cache on scrape. */
  private registryGauge(registers: Registry[]): void {
    const { store } = this.sources;
    new Gauge({
      name: `${PREFIX}registry_agents`,
      help: 'Agents in the team registry, by repo and status.',
      labelNames: ['repo', 'status'],
      registers,
      collect() {
        this.reset();
        const repos = new Set<string>();
        const counts = new Map<string, number>();
        for (const { info } of store.all()) {
          repos.add(info.repo);
          const key = `${info.repo}\u0000${info.status}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        // Every status of every repo, zeros included, so a panel's series do not vanish.
        for (const repo of repos) {
          for (const status of AgentStatus.options) this.set({ repo, status }, counts.get(`${repo}\u0000${status}`) ?? 0);
        }
      },
    });
  }

  /**
   * The message stream's size and the pending messages of the coordinator's inbox
   * consumers, asked of JetStream on scrape. prom-client collects metrics in parallel,
   * so the gauges share one read per scrape.
   */
  private jetStreamGauges(registers: Registry[]): void {
    const scrapeErrors = new Counter({
      name: `${PREFIX}jetstream_scrape_errors_total`,
      help: 'Scrapes that could not read JetStream (disconnected, stream missing); the JetStream figures are left out of those.',
      registers,
    });
    let inflight: Promise<JetStreamSnapshot | undefined> | undefined;
    const snapshot = (): Promise<JetStreamSnapshot | undefined> => {
      inflight ??= readJetStream(this.sources)
        .catch(() => {
          scrapeErrors.inc();
          return undefined;
        })
        .finally(() => (inflight = undefined));
      return inflight;
    };
    const perRepo = (name: string, help: string, pick: (c: ConsumerFigures) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['repo'],
        registers,
        async collect() {
          const read = await snapshot();
          this.reset();
          for (const consumer of read?.consumers ?? []) this.inc({ repo: consumer.repo }, pick(consumer));
        },
      });
    perRepo(`${PREFIX}consumer_pending_messages`, "Messages not yet delivered to the coordinator's inbox consumers (JetStream num_pending), summed per repo.", (c) => c.pending);
    perRepo(`${PREFIX}consumer_ack_pending_messages`, "Messages delivered to the coordinator's inbox consumers but not yet acknowledged, summed per repo.", (c) => c.ackPending);
    perRepo(`${PREFIX}consumers`, 'Inbox consumers of the agents this coordinator runs, per repo.', () => 1);
    const stream = (name: string, help: string, pick: (s: JetStreamSnapshot) => number) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          const read = await snapshot();
          this.reset();
          if (read) this.set(pick(read));
        },
      });
    stream(`${PREFIX}stream_messages`, 'Messages held in the message stream.', (s) => s.streamMessages);
    stream(`${PREFIX}stream_bytes`, 'Bytes held in the message stream.', (s) => s.streamBytes);
  }
}

interface ConsumerFigures {
  repo: string;
  pending: number;
  ackPending: number;
}

interface JetStreamSnapshot {
  streamMessages: number;
  streamBytes: number;
  consumers: ConsumerFigures[];
}

/** One read of the stream and the hosted consumers; a consumer not created yet counts as empty. */
async function readJetStream(sources: CoordinatorMetricsSources): Promise<JetStreamSnapshot | undefined> {
  const nc = sources.nc();
  if (!nc || nc.isClosed()) return undefined;
  const jsm = await nc.jetstreamManager();
  const stream = await jsm.streams.info(MESSAGE_STREAM);
  const hosted = sources.consumers();
  const infos = await Promise.allSettled(hosted.map((c) => jsm.consumers.info(MESSAGE_STREAM, c.durable)));
  return {
    streamMessages: stream.state.messages,
    streamBytes: stream.state.bytes,
    consumers: hosted.map((consumer, index) => {
      const info = infos[index]!;
      return info.status === 'fulfilled'
        ? { repo: consumer.repo, pending: info.value.num_pending, ackPending: info.value.num_ack_pending }
        : { repo: consumer.repo, pending: 0, ackPending: 0 };
    }),
  };
}
