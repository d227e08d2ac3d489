/**
 * One agent's statistics over a window (`agents.metrics`): tasks completed and failed,
 * their mean duration, tokens, cost, uptime and restarts. Fetched on open, when the
 * window changes, and when the agent's usage totals or restarts change (events, no timer).
 */
import { useCallback, useEffect, useId, useState } from 'react';
import type { ReactNode } from 'react';
import type { AgentMetrics, MetricsWindow } from '../../../shared/work-model.js';
import { MetricsWindow as MetricsWindowSchema } from '../../../shared/work-model.js';
import { CallError } from '../common/call-error.js';
import { useCall } from '../common/use-call.js';
import { formatCost, formatDuration, formatTokens } from '../model/coding-format.js';
import { useAppStore } from '../store/app-store.js';
import { coreApi } from '../store/actions.js';
import { usageKey } from '../store/coding-buffer.js';
import { supervisionOf } from '../agents/supervision.js';

const WINDOWS = MetricsWindowSchema.options;
const WINDOW_LABEL: Record<MetricsWindow, string> = { '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days' };

export function MetricsPanel(props: { agent: string; repo: string | undefined }): ReactNode {
  const { agent, repo } = props;
  const [window, setWindow] = useState<MetricsWindow>('24h');
  // What moves the numbers: a finished task (usage totals), a restart or a stop (supervision);
  // not a heartbeat.
  const totals = useAppStore((state) => (repo === undefined ? undefined : state.usageByAgent.get(usageKey(repo, agent))));
  const supervision = useAppStore((state) => {
    const record = repo === undefined ? undefined : state.agents.get(`${repo}/${agent}`);
    const parsed = record ? supervisionOf(record) : null;
    return parsed ? `${parsed.state}/${parsed.restarts}` : '';
  });
  const fetchMetrics = useCallback(
    (w: MetricsWindow) => coreApi().agents.metrics({ name: agent, window: w, ...(repo ? { repo } : {}) }),
    [agent, repo],
  );
  const [metrics, load] = useCall(fetchMetrics);
  useEffect(() => void load(window), [load, window, totals, supervision]);
  const id = useId();
  return (
    <div className="metrics" data-testid="metrics">
      <div className="tabs" role="radiogroup" aria-labelledby={id}>
        <span id={id} className="muted small">
          Window
        </span>
        {WINDOWS.map((w) => (
          <button
            key={w}
            type="button"
            role="radio"
            className="chip"
            aria-checked={w === window}
            aria-label={WINDOW_LABEL[w]}
            data-testid={`metrics-window-${w}`}
            onClick={() => setWindow(w)}
          >
            {w}
          </button>
        ))}
      </div>
      {metrics.phase === 'failed' ? <CallError error={metrics.error} testId="metrics-error" /> : null}
      {metrics.phase === 'running' || metrics.phase === 'idle' ? <p className="muted small">Loading metrics…</p> : null}
      {metrics.phase === 'done' ? <MetricsFacts metrics={metrics.value} /> : null}
    </div>
  );
}

function MetricsFacts(props: { metrics: AgentMetrics }): ReactNode {
  const { metrics } = props;
  return (
    <dl className="facts usage__totals" data-testid="metrics-facts" data-window={metrics.window}>
      <dt>Completed</dt>
      <dd className="mono" data-testid="metrics-completed">
        {metrics.tasksCompleted}
      </dd>
      <dt>Failed</dt>
      <dd className="mono" data-testid="metrics-failed">
        {metrics.tasksFailed}
      </dd>
      <dt>Avg duration</dt>
      <dd className="mono">{metrics.avgDurationMs === null ? '—' : formatDuration(metrics.avgDurationMs)}</dd>
      <dt>Tokens</dt>
      <dd className="mono">
        {formatTokens(metrics.inputTokens)} in · {formatTokens(metrics.outputTokens)} out
      </dd>
      <dt>Cost</dt>
      <dd className="mono">{formatCost(metrics.costUsd)}</dd>
      <dt>Uptime</dt>
      <dd className="mono" data-testid="metrics-uptime">
        {formatUptime(metrics.uptimePct)}
      </dd>
      <dt>Restarts</dt>
      <dd className="mono">{metrics.restarts}</dd>
    </dl>
  );
}

/** 99.95 → "99.9 %" (never rounds up to a full 100 that was not), 100 → "100 %". */
export function formatUptime(pct: number): string {
  if (pct >= 100) return '100 %';
  return `${(Math.floor(pct * 10) / 10).toFixed(1)} %`;
}
