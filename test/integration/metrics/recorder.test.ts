/**
 * The recorder against a real SQLite file and the registry's own change feed: a remote
 * agent's uptime follows its status, a supervised agent's its supervision state and
 * restarts, and a task without a stated duration is timed from its `task.started`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AgentMetricsRecorder } from '../../../src/core/metrics/agent-metrics.js';
import { AgentMetricsStore } from '../../../src/core/metrics/agent-metrics-store.js';
import type { RoutedMessage } from '../../../src/shared/domain.js';
import type { RegistryFixture } from '../registry/registry-fixture.js';
import { T0, openFixture, registration } from '../registry/registry-fixture.js';

let fx: RegistryFixture;
afterEach(() => fx?.close());

const MIN = 60_000;

function recorderOn(fixture: RegistryFixture): AgentMetricsRecorder {
  const recorder = new AgentMetricsRecorder(new AgentMetricsStore(fixture.db), fixture.clock);
  recorder.begin(fixture.registry.discover({}));
  fixture.registry.onChange((batch) => recorder.agentsChanged(batch));
  return recorder;
}

function message(kind: RoutedMessage['kind'], body: unknown, at: number, id: string): RoutedMessage {
  return {
    id,
    from: 'reviewer',
    to: 'user',
    repo: 'team',
    body: body as RoutedMessage['body'],
    kind,
    timestamp: at,
    traceId: '0'.repeat(32),
    route: { sourceLocation: 'remote', destLocation: 'local', routedVia: 'nats', routedAt: at },
  };
}

/** The registry's feed is batched on a microtask: let it run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the agent metrics recorder', () => {
  it('times a remote agent up by its status and a supervised one by its supervision state, counting restarts', async () => {
    fx = openFixture();
    const recorder = recorderOn(fx);
    fx.registry.register(registration({ name: 'reviewer', repo: 'team', location: 'remote' }));
    await settle();
    fx.clock.advance(10 * MIN);
    fx.registry.setStatus({ repo: 'team', name: 'reviewer' }, 'unreachable');
    await settle();
    fx.clock.advance(20 * MIN);
    fx.registry.setStatus({ repo: 'team', name: 'reviewer' }, 'idle');
    await settle();
    fx.clock.advance(30 * MIN);
    // Up 10 of the first 30 minutes, then the last 30: 40 of 60.
    expect(recorder.metrics({ name: 'reviewer', repo: 'team', window: '1h' }, true).uptimePct).toBeCloseTo((40 / 60) * 100, 2);

    const supervised = (state: string, restarts: number) => ({ supervision: { state, pid: null, restarts, lastExit: null, nextRestartAt: null } });
    fx.registry.register(registration({ name: 'coder', repo: 'team', metadata: supervised('starting', 0) }));
    await settle();
    fx.clock.advance(MIN);
    fx.registry.setStatus({ repo: 'team', name: 'coder' }, 'active', supervised('running', 0));
    await settle();
    fx.clock.advance(5 * MIN);
    fx.registry.setStatus({ repo: 'team', name: 'coder' }, 'unreachable', supervised('backoff', 1));
    await settle();
    fx.clock.advance(MIN);
    // Two restarts seen at once (a batch may fold them): both count.
    fx.registry.setStatus({ repo: 'team', name: 'coder' }, 'active', supervised('running', 3));
    await settle();
    fx.clock.advance(4 * MIN);
    const coder = recorder.metrics({ name: 'coder', repo: 'team', window: '1h' }, true);
    expect(coder.restarts).toBe(3);
    expect(coder.uptimePct).toBeCloseTo((9 / 60) * 100, 2);
    expect(recorder.supervised()).toEqual([{ repo: 'team', agent: 'coder' }]);
    expect([...recorder.statusCounts().values()]).toEqual(expect.arrayContaining([{ location: 'remote', status: 'idle', count: 1 }]));
  });

  it('times a task from task.started when the body states no duration, and counts each message once', () => {
    fx = openFixture();
    const recorder = recorderOn(fx);
    recorder.message(message('task.started', { taskId: 'a' }, T0, 'm1'));
    const done = message('task.completed', { taskId: 'a', usage: { inputTokens: 7, outputTokens: 3, costUsd: null } }, T0 + 4_000, 'm2');
    recorder.message(done);
    recorder.message(done);
    recorder.message(message('task.failed', 'not an object', T0 + 5_000, 'm3'));
    fx.clock.set(T0 + 10_000);
    expect(recorder.metrics({ name: 'reviewer', repo: 'team', window: '1h' }, false)).toMatchObject({
      tasksCompleted: 1,
      tasksFailed: 1,
      avgDurationMs: 4_000,
      inputTokens: 7,
      outputTokens: 3,
      costUsd: 0,
    });
    expect(() => recorder.metrics({ name: 'ghost', repo: 'team', window: '1h' }, false)).toThrow(expect.objectContaining({ name: 'NoSuchAgent' }));
  });
});
