/**
 * The desktop core's Prometheus metrics (opt-in, docs/configuration.md): route latency,
 * outbox depth, agents by status, and per-agent tasks, tokens, cost, restarts and uptime.
 *
 * Per-agent labels are bounded here: a desktop runs a handful of agents. Tasks are
 * labelled by the agent that sent them (this machine's, or one that reported to it);
 * uptime only for the supervised agents of this machine; agents by status carry no name.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RoutedMessage } from '../../shared/domain.js';
import { WINDOW_MS } from '../../shared/work-model.js';
import type { MetricsWindow } from '../../shared/work-model.js';
import type { Clock } from '../clock.js';
import type { AgentMetricsListener } from './agent-metrics.js';
import type { TaskRecord } from './agent-metrics-store.js';

const MAX_IN_FLIGHT = 10_000;
const ROUTE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120, 600];

export interface DesktopMetricsSources {
  clock: Clock;
  outboxSize: () => number;
  statusCounts: () => Iterable<{ location: string; status: string; count: number }>;
  supervised: () => Array<{ repo: string; agent: string }>;
  uptimePct: (repo: string, agent: string, window: MetricsWindow) => number;
}

export class DesktopMetrics implements AgentMetricsListener {
  readonly registry = new Registry();
  private readonly routeSeconds: Histogram<'origin'>;
  private readonly tasks: Counter<'repo' | 'agent' | 'outcome'>;
  private readonly taskSeconds: Histogram<'repo' | 'agent'>;
  private readonly tokens: Counter<'repo' | 'agent' | 'kind'>;
  private readonly cost: Counter<'repo' | 'agent'>;
  private readonly restarts: Counter<'repo' | 'agent'>;
  /** When each local message was accepted, until it is delivered (or pushed out by newer ones). */
  private readonly accepted = new Map<string, number>();
  /** Deliveries from elsewhere already observed (a retry delivers again). */
  private readonly arrived = new Set<string>();

  constructor(private readonly sources: DesktopMetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.routeSeconds = new Histogram({
      name: 'switchyard_route_latency_seconds',
      help: 'From a message accepted by the router to its delivery to a local agent; origin local (sent here) or remote (its send time on the sender).',
      labelNames: ['origin'],
      buckets: ROUTE_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'switchyard_outbox_messages',
      help: 'Messages waiting in the outbox for a destination or the link.',
      registers,
      collect() {
        this.set(sources.outboxSize());
      },
    });
    new Gauge({
      name: 'switchyard_agents',
      help: 'Agents in the registry mirror, by location and status.',
      labelNames: ['location', 'status'],
      registers,
      collect() {
        this.reset();
        for (const { location, status, count } of sources.statusCounts()) this.set({ location, status }, count);
      },
    });
    new Gauge({
      name: 'switchyard_agent_uptime_ratio',
      help: "Share of the window a supervised agent of this machine was running (0-1), per window.",
      labelNames: ['repo', 'agent', 'window'],
      registers,
      collect() {
        this.reset();
        for (const { repo, agent } of sources.supervised()) {
          for (const window of Object.keys(WINDOW_MS) as MetricsWindow[]) this.set({ repo, agent, window }, sources.uptimePct(repo, agent, window) / 100);
        }
      },
    });
    this.restarts = new Counter({ name: 'switchyard_agent_restarts_total', help: 'Automatic restarts of a supervised agent.', labelNames: ['repo', 'agent'], registers });
    this.tasks = new Counter({ name: 'switchyard_agent_tasks_total', help: 'Tasks an agent finished, by outcome (completed, failed).', labelNames: ['repo', 'agent', 'outcome'], registers });
    this.taskSeconds = new Histogram({
      name: 'switchyard_agent_task_duration_seconds',
      help: "Completed tasks' durations, as the agent reported them (or from its task.started).",
      labelNames: ['repo', 'agent'],
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
      registers,
    });
    this.tokens = new Counter({ name: 'switchyard_agent_tokens_total', help: 'Model tokens a finished task used, by kind (input, output).', labelNames: ['repo', 'agent', 'kind'], registers });
    this.cost = new Counter({ name: 'switchyard_agent_cost_usd_total', help: 'What finished tasks cost, in US dollars, where the agent reports it.', labelNames: ['repo', 'agent'], registers });
  }

  /** A message the router accepted or delivered (routing.onMessage). */
  message(message: RoutedMessage, stage: 'accepted' | 'delivered'): void {
    const now = this.sources.clock.now();
    if (stage === 'accepted') {
      if (message.route.destLocation !== 'local') return;
      if (this.accepted.size >= MAX_IN_FLIGHT) this.accepted.delete(this.accepted.keys().next().value!);
      this.accepted.set(message.id, now);
      return;
    }
    const acceptedAt = this.accepted.get(message.id);
    if (acceptedAt !== undefined) {
      this.accepted.delete(message.id);
      this.routeSeconds.observe({ origin: 'local' }, Math.max(0, now - acceptedAt) / 1000);
      return;
    }
    // Not accepted here: it came over NATS, and its send time is the sender's clock.
    if (this.arrived.has(message.id)) return;
    if (this.arrived.size >= MAX_IN_FLIGHT) this.arrived.delete(this.arrived.values().next().value!);
    this.arrived.add(message.id);
    this.routeSeconds.observe({ origin: 'remote' }, Math.max(0, now - message.timestamp) / 1000);
  }

  task(record: TaskRecord): void {
    const labels = { repo: record.repo, agent: record.agent };
    this.tasks.inc({ ...labels, outcome: record.outcome });
    if (record.outcome === 'completed' && record.durationMs !== null) this.taskSeconds.observe(labels, record.durationMs / 1000);
    if (record.inputTokens > 0) this.tokens.inc({ ...labels, kind: 'input' }, record.inputTokens);
    if (record.outputTokens > 0) this.tokens.inc({ ...labels, kind: 'output' }, record.outputTokens);
    if (record.costUsd > 0) this.cost.inc(labels, record.costUsd);
  }

  restart(repo: string, agent: string, count: number): void {
    this.restarts.inc({ repo, agent }, count);
  }
}
