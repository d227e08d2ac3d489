/**
 * Agent metrics from a real supervised agent: the tasks it completes and fails, its
 * tokens and cost, its restarts and uptime, answered by `agents.metrics`, kept across a
 * restart of the app, and exported on the desktop's opt-in /metrics.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import { createCore } from '../../../src/core/core.js';
import type { AgentMetrics } from '../../../src/shared/work-model.js';
import { eventually } from '../../helpers/eventually.js';
import { sampleValue, scrape } from '../../helpers/prometheus-text.js';

const TASKER = fileURLToPath(new URL('./fixtures/tasker.mjs', import.meta.url));
const FAST = { backoffInitialMs: 20, backoffMaxMs: 200, sweepIntervalMs: 25, stopGraceMs: 300, killAfterMs: 300 };

let dataDir: string | undefined;
const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function open(metricsPort?: number): Promise<Core> {
  dataDir ??= mkdtempSync(join(tmpdir(), 'sy-metrics-'));
  mkdirSync(join(dataDir, 'agents'), { recursive: true });
  writeFileSync(
    join(dataDir, 'agents', 'tasker.json'),
    JSON.stringify({
      type: 'tasker',
      command: process.execPath,
      args: [TASKER],
      // Slow heartbeats on purpose: on a loaded machine a tight check kills the agent as unresponsive, a restart the test did not ask for.
      healthCheck: { intervalMs: 2000, timeoutMs: 1000, failureThreshold: 10, autoRestart: true },
    }),
  );
  const core = await createCore({
    dataDir,
    agents: { gateway: false, timings: FAST, builtinManifestDir: join(dataDir, 'none') },
    ...(metricsPort === undefined ? {} : { metricsPort }),
  });
  cores.push(core);
  return core;
}

async function call<T>(core: Core, name: string, input: unknown): Promise<T> {
  const result = await core.call(name, input);
  if (!result.ok) throw Object.assign(new Error(result.error.message), { name: result.error.name });
  return result.value as T;
}

const supervisionOf = (core: Core) =>
  core.registry.get({ repo: 'default', name: 'tasker' })?.metadata.supervision as { state: string; restarts: number } | undefined;

/** The user's task messages to the agent, answered by what it sends back. */
async function ask(core: Core, body: Record<string, unknown>): Promise<void> {
  await call(core, 'messages.send', { to: 'tasker', body, kind: 'task.assigned' });
}

describe('agent metrics', () => {
  it('counts a real agent\'s completed and failed tasks, tokens, cost, restarts and uptime, and keeps them across a restart', async () => {
    const core = await open(0);
    await core.localAgents.start('tasker');
    await eventually(() => supervisionOf(core)?.state === 'running', 20_000, 'tasker running');

    await ask(core, { do: 'complete', taskId: 't1', durationMs: 1_500 });
    await ask(core, { do: 'fail', taskId: 't2' });
    await eventually(async () => (await call<AgentMetrics>(core, 'agents.metrics', { name: 'tasker', window: '1h' })).tasksFailed === 1, 20_000, 'the failure counted');
    await ask(core, { do: 'crash' });
    await eventually(() => supervisionOf(core)?.restarts === 1 && supervisionOf(core)?.state === 'running', 20_000, 'restarted and running');
    await ask(core, { do: 'complete', taskId: 't3', durationMs: 2_500 });

    const metrics = await eventually(async () => {
      const m = await call<AgentMetrics>(core, 'agents.metrics', { name: 'tasker', window: '1h' });
      return m.tasksCompleted === 2 && m;
    }, 20_000, 'both completions counted');
    expect(metrics).toMatchObject({
      name: 'tasker',
      repo: 'default',
      window: '1h',
      tasksCompleted: 2,
      tasksFailed: 1,
      avgDurationMs: 2_000,
      inputTokens: 300,
      outputTokens: 120,
      costUsd: 0.75,
      restarts: 1,
    });
    // Up for a few seconds of the hour: more than nothing, far less than all.
    expect(metrics.uptimePct).toBeGreaterThan(0);
    expect(metrics.uptimePct).toBeLessThan(5);
    // The default window is 24h.
    expect(await call<AgentMetrics>(core, 'agents.metrics', { name: 'tasker' })).toMatchObject({ window: '24h', tasksCompleted: 2 });
    await expect(call(core, 'agents.metrics', { name: 'nobody' })).rejects.toMatchObject({ name: 'NoSuchAgent' });
    await expect(call(core, 'agents.metrics', { name: 'tasker', window: '2d' })).rejects.toMatchObject({ name: 'ValidationError' });

    // The desktop's /metrics says the same, strictly parsed.
    const families = await scrape(core.metricsUrl!);
    const labels = { repo: 'default', agent: 'tasker' };
    expect(sampleValue(families, 'switchyard_agent_tasks_total', { ...labels, outcome: 'completed' })).toBe(2);
    expect(sampleValue(families, 'switchyard_agent_tasks_total', { ...labels, outcome: 'failed' })).toBe(1);
    expect(sampleValue(families, 'switchyard_agent_tokens_total', { ...labels, kind: 'input' })).toBe(300);
    expect(sampleValue(families, 'switchyard_agent_cost_usd_total', labels)).toBeCloseTo(0.75);
    expect(sampleValue(families, 'switchyard_agent_restarts_total', labels)).toBe(1);
    expect(sampleValue(families, 'switchyard_agent_task_duration_seconds_sum', labels)).toBe(4);
    expect(sampleValue(families, 'switchyard_agent_uptime_ratio', { ...labels, window: '1h' })).toBeGreaterThan(0);
    expect(sampleValue(families, 'switchyard_agents', { location: 'local', status: 'active' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(families, 'switchyard_outbox_messages')).toBe(0);
    // Four messages to the agent and its answers to the user, each timed from accepted to delivered.
    expect(sampleValue(families, 'switchyard_route_latency_seconds_count', { origin: 'local' })).toBeGreaterThanOrEqual(7);

    // A restart of the app keeps what was counted.
    await core.close();
    cores.splice(cores.indexOf(core), 1);
    const again = await open();
    expect(again.metricsUrl).toBeUndefined();
    expect(await call<AgentMetrics>(again, 'agents.metrics', { name: 'tasker', window: '7d' })).toMatchObject({ tasksCompleted: 2, tasksFailed: 1, restarts: 1 });
  }, 90_000);
});
