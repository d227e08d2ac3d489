/**
 * `agents.start` placed by the hybrid config: a remote-listed type becomes a spawn at
 * the team (a real coordinator on a real nats-server) and shows as remote; a local type
 * starts here; with the team away it starts here as a fallback, or is refused without.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
import { AgentManifest } from '../../../src/shared/manifest.js';
import { eventually } from '../../helpers/eventually.js';
import { ECHO_AGENT } from '../../helpers/shipped-agents.js';
import type { RemoteEnv } from './remote-harness.js';
import { REPO, TEAM_DIR, TOKENS, phaseOf, remoteEnv } from './remote-harness.js';

describe('agents.start follows the hybrid config', () => {
  let env: RemoteEnv;
  beforeEach(async () => {
    env = await remoteEnv();
  });
  afterEach(async () => {
    await env.dispose();
  });

  const configure = async (core: Core, fallbackToLocal: boolean): Promise<void> => {
    const result = await core.call('config.set', {
      config: { enabled: true, coordinationUrl: env.server.wsUrl, repo: REPO, localAgentTypes: ['echo'], remoteAgentTypes: ['builder'], fallbackToLocal },
    });
    if (!result.ok) throw new Error(result.error.message);
  };

  it('spawns a remote-listed type at the team, starts a local type here, and falls back only when allowed', async () => {
    await env.startCoordinator({ team: { manifestDir: TEAM_DIR, agents: [] } }, { team: true });
    const core = await env.startCore(TOKENS.alice);
    for (const type of ['echo', 'builder']) core.localAgents.install(AgentManifest.parse({ type, command: process.execPath, args: [ECHO_AGENT] }));
    await configure(core, false);
    await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');

    const remote = await core.call('agents.start', { type: 'builder' });
    expect(remote).toMatchObject({ ok: true, value: { location: 'remote', repo: REPO, owner: 'alice', tags: { spawnedBy: 'user' }, metadata: { type: 'builder' } } });
    const name = (remote as { value: AgentInfo }).value.name;
    expect(name).toMatch(/^worker-\d+$/);
    // The team runs it: its record in the mirror is the coordinator's, and no process of it runs here.
    expect(core.registry.get({ repo: REPO, name })).toMatchObject({ location: 'remote', instanceId: expect.stringContaining(`/${name}`) });
    expect(env.logs.some((line) => line.includes('worker spawned') && line.includes(name))).toBe(true);

    const local = await core.call('agents.start', { type: 'echo' });
    expect(local).toMatchObject({ ok: true, value: { name: 'echo', location: 'local' } });

    await env.server.stop();
    await eventually(() => phaseOf(core) !== 'connected', 15_000, 'link down');
    const refused = await core.call('agents.start', { type: 'builder' });
    expect(refused).toMatchObject({ ok: false, error: { name: 'RemoteUnavailable' } });
    expect(core.registry.discover({ type: 'builder', location: 'local' })).toEqual([]);

    await configure(core, true);
    const fallback = await core.call('agents.start', { type: 'builder', name: 'builder-here' });
    expect(fallback).toMatchObject({ ok: true, value: { name: 'builder-here', type: 'builder', location: 'local' } });
    // A remote type never starts by itself here: the team runs it.
    const autostart = await core.call('autostart.set', { type: 'builder', enabled: true });
    expect(autostart).toMatchObject({ ok: false, error: { name: 'AgentStartFailed' } });
  }, 90_000);
});
