/**
 * A coordinator that cannot run workers (`--no-team`: no runner) refuses spawns with a
 * typed error instead of answering with a worker that never runs; the desktop then
 * falls back to local when its config allows, and says why when it does not.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoordinatorError, coordinatorRequest } from '../../../src/core/remote/coordinator-client.js';
import { SpawnReply } from '../../../src/shared/coordinator-protocol.js';
import { AgentManifest } from '../../../src/shared/manifest.js';
import { REGISTRY_BUCKET, subjects } from '../../../src/shared/nats-subjects.js';
import type { RemoteEnv } from './remote-harness.js';
import { REPO, TOKENS, phaseOf, remoteEnv } from './remote-harness.js';
import { eventually } from '../../helpers/eventually.js';
import { ECHO_AGENT } from '../../helpers/shipped-agents.js';


let env: RemoteEnv;
beforeEach(async () => {
  env = await remoteEnv();
});
afterEach(async () => {
  await env.dispose();
});

describe('a coordinator without workers', () => {
  it('refuses a spawn with WorkersUnavailable and registers no worker', async () => {
    await env.startCoordinator();
    const nc = await env.connect(TOKENS.alice);
    const refused = await coordinatorRequest(nc, subjects.spawn(REPO), { repo: REPO, task: 'lint', spawnedBy: 'alice.workspace' }, TOKENS.alice, SpawnReply).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(CoordinatorError);
    expect((refused as CoordinatorError).name).toBe('WorkersUnavailable');
    expect((refused as CoordinatorError).message).toMatch(/runs no workers/);
    // Read with the coordinator's rights: a member may not read the bucket's status.
    const admin = await env.connect(TOKENS.coordinator);
    const kv = await admin.jetstream().views.kv(REGISTRY_BUCKET, { bindOnly: true });
    expect((await kv.status()).values).toBe(0);
  });

  it('lets the desktop fall back to local when fallbackToLocal is on, and refuses with the reason when off', async () => {
    await env.startCoordinator();
    const core = await env.startCore(TOKENS.alice);
    core.localAgents.install(AgentManifest.parse({ type: 'worker', command: process.execPath, args: [ECHO_AGENT] }));
    const configure = async (fallbackToLocal: boolean) => {
      const result = await core.call('config.set', {
        config: { enabled: true, coordinationUrl: env.server.wsUrl, repo: REPO, localAgentTypes: [], remoteAgentTypes: [], fallbackToLocal },
      });
      if (!result.ok) throw new Error(result.error.message);
    };
    await configure(true);
    await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');

    const spawned = await core.call('agents.spawn', { task: 'compile', spawnedBy: 'workspace' });
    expect(spawned).toMatchObject({ ok: true, value: { route: 'fallback', location: 'local' } });
    const workerName = (spawned as { value: { workerName: string } }).value.workerName;
    // The task is not lost: it reaches the local worker.
    await eventually(async () => {
      const page = await core.call('traces.query', { agent: workerName });
      return page.ok && (page.value as { items: Array<{ status: string; kind: string }> }).items.some((i) => i.status === 'delivered' && i.kind === 'task.assigned');
    }, 10_000, 'task delivered to the fallback worker');

    await configure(false);
    await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up again');
    const refused = await core.call('agents.spawn', { task: 'compile', spawnedBy: 'workspace' });
    expect(refused).toMatchObject({ ok: false, error: { name: 'WorkersUnavailable' } });
    expect((refused as { error: { message: string } }).error.message).toMatch(/runs no workers.*fall back to local/);
  }, 60_000);
});
