/**
 * The coordinator's /metrics over real NATS: a scrape parses strictly, and requests,
 * the registry, sweeps, spawns, its agents' messages and their consumers move as a
 * team would see them in Prometheus.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NatsConnection } from 'nats.ws';
import { CoordinatorError, coordinatorRequest } from '../../../src/core/remote/coordinator-client.js';
import { AgentInfo } from '../../../src/shared/domain.js';
import { SpawnReply } from '../../../src/shared/coordinator-protocol.js';
import { subjects } from '../../../src/shared/nats-subjects.js';
import type { RemoteEnv } from './remote-harness.js';
import { REPO, TEAM_DIR, TOKENS, memberInbox, remoteEnv, sendToInbox } from './remote-harness.js';
import { eventually } from '../../helpers/eventually.js';
import { sampleValue, scrape } from '../../helpers/prometheus-text.js';

let env: RemoteEnv;
beforeEach(async () => {
  env = await remoteEnv();
});
afterEach(async () => {
  await env.dispose();
});

const register = (nc: NatsConnection, token: string, body: Record<string, unknown>) =>
  coordinatorRequest(nc, subjects.register(REPO), { location: 'local', instanceId: `i-${String(body.name)}`, ...body }, token, AgentInfo);

/** One series' value in a fresh scrape (0 when absent). */
async function valueOf(url: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  return sampleValue(await scrape(url), name, labels) ?? 0;
}

describe('coordinator /metrics', () => {
  it('is off unless metrics.listen is set', async () => {
    const coordinator = await env.startCoordinator();
    expect(coordinator.metricsUrl).toBeUndefined();
  });

  it('counts requests, registry size, sweeps, spawns and its agents\' messages', async () => {
    const coordinator = await env.startCoordinator(
      { metrics: { listen: '127.0.0.1:0' }, team: { manifestDir: TEAM_DIR, agents: ['review'] } },
      { team: true },
    );
    const url = coordinator.metricsUrl!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const first = await scrape(url);
    // prom-client's process metrics and the instance's info series.
    expect(first.get('process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(first.get('switchyard_coordinator_request_duration_seconds')?.type).toBe('histogram');
    expect(sampleValue(first, 'switchyard_coordinator_info', { coordinator: coordinator.instance })).toBe(1);
    expect(sampleValue(first, 'switchyard_coordinator_requests_total', { operation: 'register', outcome: 'ok' })).toBeUndefined();

    await eventually(() => coordinator.store.get(REPO, 'review')?.info.status === 'active', 15_000, 'review running');
    const nc = await env.connect(TOKENS.alice);
    await register(nc, TOKENS.alice, { name: 'alice.workspace', type: 'workspace' });
    // A member may not register a repo-owned agent: counted under its error's name.
    await expect(register(nc, TOKENS.alice, { name: 'supervisor', type: 'supervisor', location: 'remote' })).rejects.toBeInstanceOf(CoordinatorError);

    const afterRegister = await scrape(url);
    expect(sampleValue(afterRegister, 'switchyard_coordinator_requests_total', { operation: 'register', outcome: 'ok' })).toBe(1);
    expect(sampleValue(afterRegister, 'switchyard_coordinator_requests_total', { operation: 'register', outcome: 'NotAllowed' })).toBe(1);
    expect(sampleValue(afterRegister, 'switchyard_coordinator_request_duration_seconds_count', { operation: 'register' })).toBe(2);
    // The review agent and alice's workspace, both active; every status is a series.
    expect(sampleValue(afterRegister, 'switchyard_coordinator_registry_agents', { repo: REPO, status: 'active' })).toBe(2);
    expect(sampleValue(afterRegister, 'switchyard_coordinator_registry_agents', { repo: REPO, status: 'terminated' })).toBe(0);
    expect(sampleValue(afterRegister, 'switchyard_coordinator_consumers', { repo: REPO })).toBe(1);
    expect(sampleValue(afterRegister, 'switchyard_coordinator_stream_messages')).toBeGreaterThanOrEqual(0);

    // Sweeps run on their timer (every 100 ms here).
    await eventually(async () => (await valueOf(url, 'switchyard_coordinator_liveness_sweeps_total', { outcome: 'ok' })) >= 2, 5_000, 'sweeps counted');
    expect(await valueOf(url, 'switchyard_coordinator_liveness_sweep_duration_seconds_count')).toBeGreaterThanOrEqual(2);

    const spawned = await coordinatorRequest(nc, subjects.spawn(REPO), { repo: REPO, task: 'fix the build', spawnedBy: 'alice.workspace' }, TOKENS.alice, SpawnReply);
    expect(spawned.error).toBeUndefined();
    const afterSpawn = await scrape(url);
    expect(sampleValue(afterSpawn, 'switchyard_coordinator_spawns_total', { outcome: 'started', by: 'member' })).toBe(1);
    expect(sampleValue(afterSpawn, 'switchyard_coordinator_requests_total', { operation: 'spawn', outcome: 'ok' })).toBe(1);

    // A message to the review agent comes in; its decision goes out.
    const inbox = await memberInbox(nc, 'alice');
    await sendToInbox(nc, 'alice.workspace', 'review', { change: 'adds a parser with tests' });
    await eventually(() => inbox.find((m) => m.kind === 'decision.made'), 15_000, 'the review decision');
    await eventually(async () => (await valueOf(url, 'switchyard_coordinator_messages_routed_total', { direction: 'out', outcome: 'published' })) >= 1, 5_000, 'out counted');
    const afterMessage = await scrape(url);
    expect(sampleValue(afterMessage, 'switchyard_coordinator_messages_routed_total', { direction: 'in', outcome: 'delivered' })).toBe(1);
    // Read and acknowledged: nothing is waiting on the review agent's consumer.
    expect(sampleValue(afterMessage, 'switchyard_coordinator_consumer_pending_messages', { repo: REPO })).toBe(0);
    expect(sampleValue(afterMessage, 'switchyard_coordinator_stream_messages')).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('answers 404 off /metrics and refuses a listen address that is not host:port', async () => {
    const coordinator = await env.startCoordinator({ metrics: { listen: '0' } });
    expect(coordinator.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect((await fetch(coordinator.metricsUrl!.replace('/metrics', '/'))).status).toBe(404);
    expect((await fetch(coordinator.metricsUrl!, { method: 'POST' })).status).toBe(405);
    await expect(env.startCoordinator({ metrics: { listen: 'localhost' } })).rejects.toThrow(/host:port/);
  });
});
