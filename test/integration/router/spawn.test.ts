import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import { AgentManifest } from '../../../src/shared/manifest.js';
import { COORDINATOR_SERVICE } from '../../../src/shared/nats-subjects.js';
import type { RemoteEnv } from '../remote/remote-harness.js';
import { REPO, TEAM_DIR, TOKENS, phaseOf, remoteEnv } from '../remote/remote-harness.js';
import { eventually } from '../../helpers/eventually.js';
import { ECHO_AGENT } from '../../helpers/shipped-agents.js';


describe('spawn placement with fallback and failback', () => {
  let env: RemoteEnv;
  beforeEach(async () => {
    env = await remoteEnv();
  });
  afterEach(async () => {
    await env.dispose();
  });

  const configure = async (core: Core, fallbackToLocal: boolean): Promise<void> => {
    const result = await core.call('config.set', {
      config: { enabled: true, coordinationUrl: env.server.wsUrl, repo: REPO, localAgentTypes: [], remoteAgentTypes: [], fallbackToLocal },
    });
    if (!result.ok) throw new Error(result.error.message);
  };

  it('spawns remote types on the coordinator, falls back locally while it is away, refuses without fallback, and fails back', async () => {
    // A coordinator that runs workers (no team agents needed).
    await env.startCoordinator({ team: { manifestDir: TEAM_DIR, agents: [] } }, { team: true });
    const core = await env.startCore(TOKENS.alice);
    // A local build of the worker type, for fallback: the echo agent stands in.
    core.localAgents.install(AgentManifest.parse({ type: 'worker', command: process.execPath, args: [ECHO_AGENT] }));
    await configure(core, true);
    await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');

    const first = await core.call('agents.spawn', { task: 'compile', spawnedBy: 'workspace' });
    expect(first).toMatchObject({ ok: true, value: { route: 'remote', location: 'remote' } });

    await env.server.stop();
    await eventually(() => phaseOf(core) !== 'connected', 15_000, 'link down');
    const fallback = await core.call('agents.spawn', { task: 'compile offline', spawnedBy: 'workspace' });
    expect(fallback).toMatchObject({ ok: true, value: { route: 'fallback', location: 'local' } });
    const workerName = (fallback as { value: { workerName: string } }).value.workerName;
    expect(core.registry.get({ repo: REPO, name: workerName })).toMatchObject({ location: 'local', type: 'worker' });
    // Its task went to it as its first message, routed (and shown) as fallback.
    const traces = await eventually(async () => {
      const page = await core.call('traces.query', { agent: workerName });
      const items = page.ok ? (page.value as { items: Array<{ status: string; route: { routedVia: string } | null; kind: string }> }).items : [];
      return items.find((item) => item.status === 'delivered') ? items : undefined;
    }, 10_000, 'task delivered to the fallback worker');
    expect(traces[0]).toMatchObject({ kind: 'task.assigned', route: { routedVia: 'fallback', destLocation: 'local' } });
    const task = await core.call('traces.get', { id: (traces[0] as unknown as { messageId: string }).messageId });
    const hops = task.ok ? (task.value as { hops: Array<{ event: string; detail: string }> }).hops : [];
    expect(hops.map((hop) => hop.event)).toEqual(['accepted', 'fallback', 'delivered']);
    expect(hops[1]!.detail).toContain(`runs on this machine as "${workerName}"`);

    await configure(core, false);
    const refused = await core.call('agents.spawn', { task: 'compile offline', spawnedBy: 'workspace' });
    expect(refused).toMatchObject({ ok: false, error: { name: 'RemoteUnavailable' } });
    expect((refused as { error: { message: string } }).error.message).toMatch(/fall back to local/);

    await configure(core, true);
    await env.server.start();
    await eventually(() => phaseOf(core) === 'connected', 20_000, 'link back');
    // The coordinator reconnects on its own schedule: wait until its service answers.
    const probe = await env.connect(TOKENS.admin);
    await eventually(async () => (await probe.request(`$SRV.PING.${COORDINATOR_SERVICE}`, undefined, { timeout: 500 })) !== undefined, 20_000, 'coordinator back');
    const back = await core.call('agents.spawn', { task: 'compile again', spawnedBy: 'workspace' });
    expect(back).toMatchObject({ ok: true, value: { route: 'remote', location: 'remote' } });
  }, 90_000);
});
