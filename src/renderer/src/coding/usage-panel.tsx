/**
 * One agent's tokens and cost: its totals, its recent tasks and its use per day, from
 * `usage.summary`, fetched again when the agent's totals change (`usage.changed`).
 */
import { useCallback, useEffect } from 'react';
import type { ReactNode } from 'react';
import type { UsageTotals } from '../../../shared/coding-contract.js';
import { CallError } from '../common/call-error.js';
import { useCall } from '../common/use-call.js';
import { formatCost, formatDuration, formatTokens } from '../model/coding-format.js';
import { useAppStore } from '../store/app-store.js';
import { coreApi } from '../store/actions.js';
import { usageKey } from '../store/coding-buffer.js';
import { formatClock } from '../traces/trace-format.js';

export function UsagePanel(props: { agent: string; repo: string | undefined }): ReactNode {
  const { agent, repo } = props;
  const totals = useAppStore((state) => repo === undefined ? undefined : state.usageByAgent.get(usageKey(repo, agent)));
  const fetchSummary = useCallback(() => coreApi().usage.summary(repo === undefined ? { agent } : { agent, repo }), [agent, repo]);
  const [summary, load] = useCall(fetchSummary);
  useEffect(() => void load(), [load, totals]);
  if (summary.phase === 'failed') return <CallError error={summary.error} />;
  if (summary.phase !== 'done') return <p className="muted small">Loading usage…</p>;
  const { totals: all, recent, byDay } = summary.value;
  return (
    <div className="usage" data-testid="usage">
      <Totals totals={all} />
      <h3 className="usage__heading">Recent tasks</h3>
      {recent.length === 0 ? (
        <p className="muted small">No finished tasks yet.</p>
      ) : (
        <table className="table table--compact" data-testid="usage-recent">
          <thead>
            <tr>
              <th scope="col">Finished</th>
              <th scope="col">Task</th>
              <th scope="col">Result</th>
              <th scope="col">Tokens in / out</th>
              <th scope="col">Cost</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((task) => (
              <tr key={`${task.taskId}@${task.at}`}>
                <td className="mono">{formatClock(task.at)}</td>
                <td className="mono">{task.taskId}</td>
                <td>{task.ok ? <span className="pill pill--ok">ok</span> : <span className="pill pill--error">failed</span>}</td>
                <td className="mono">
                  {formatTokens(task.inputTokens)} / {formatTokens(task.outputTokens)}
                </td>
                <td className="mono">{formatCost(task.costUsd)}</td>
                <td className="mono">{formatDuration(task.durationMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 className="usage__heading">Per day (UTC)</h3>
      {byDay.length === 0 ? (
        <p className="muted small">Nothing counted yet.</p>
      ) : (
        <table className="table table--compact" data-testid="usage-days">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Tasks</th>
              <th scope="col">Tokens in / out</th>
              <th scope="col">Cost</th>
            </tr>
          </thead>
          <tbody>
            {byDay.map((day) => (
              <tr key={day.day}>
                <td className="mono">{day.day}</td>
                <td className="mono">
                  {day.tasks}
                  {day.failedTasks > 0 ? <span className="muted"> ({day.failedTasks} failed)</span> : null}
                </td>
                <td className="mono">
                  {formatTokens(day.inputTokens)} / {formatTokens(day.outputTokens)}
                </td>
                <td className="mono">{formatCost(day.costUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Totals(props: { totals: UsageTotals }): ReactNode {
  const { totals } = props;
  return (
    <dl className="facts usage__totals" data-testid="usage-totals">
      <dt>Tasks</dt>
      <dd className="mono">
        {totals.tasks}
        {totals.failedTasks > 0 ? ` (${totals.failedTasks} failed)` : ''}
      </dd>
      <dt>Tokens</dt>
      <dd className="mono">
        {formatTokens(totals.inputTokens)} in · {formatTokens(totals.outputTokens)} out
        {totals.cachedInputTokens > 0 ? ` · ${formatTokens(totals.cachedInputTokens)} cached` : ''}
      </dd>
      <dt>Cost</dt>
      <dd className="mono" data-testid="usage-cost">
        {formatCost(totals.costUsd)}
      </dd>
      <dt>Time</dt>
      <dd className="mono">{formatDuration(totals.durationMs)}</dd>
    </dl>
  );
}
