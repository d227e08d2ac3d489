/**
 * The desktop's remote link against a real nats-server and coordinator: connection
 * states, auth failure without a reconnect storm, and two desktops seeing each other.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../../src/shared/connection.js';
import type { RemoteEnv } from './remote-harness.js';
import { REPO, TOKENS, addLocalAgent, phaseOf, remoteEnv, stateOf } from './remote-harness.js';
import { consistently, eventually } from '../../helpers/eventually.js';

let env: RemoteEnv;
beforeEach(async () => {
  env = await remoteEnv();
});
afterEach(async () => {
  await env.dispose();
});

describe('remote link', () => {
  it('goes connecting → connected with a good token', async () => {
    await env.startCoordinator();
    const phases: string[] = [];
    const core = await env.startCore(TOKENS.alice, {
      beforeConnect: (c) => {
        phases.push(phaseOf(c));
        c.on('connection.changed', (state) => phases.push(state.phase));
      },
    });
    await eventually(() => phaseOf(core) === 'connected', 10_000, 'connected');
    // What the status bar shows, in order (a phase repeated with new details counts once):
    // off, then connecting, then connected, and never a disconnected flash, a failure or a
    // retry on the way.
    const shown = phases.filter((phase, i) => phase !== phases[i - 1]);
    expect(shown).toEqual(['disabled', 'connecting', 'connected']);
    const state = stateOf(core);
    expect(state.server).toBe(env.server.wsUrl);
    expect(state.lastError).toBeNull();
    expect(core.remote.connection()).toBeDefined();
  });

  it('stops in auth-failed with the server reason and does not retry a wrong token', async () => {
    const core = await env.startCore('alice:wrong-secret');
    const states: ConnectionState[] = [];
    core.on('connection.changed', (state) => states.push(state));
    const failed = await eventually(() => {
      const state = stateOf(core);
      return state.phase === 'auth-failed' ? state : undefined;
    });
    expect(failed?.lastError).toMatch(/authorization violation/i);
    expect(failed?.lastError).not.toContain('wrong-secret');
    // No storm: nothing happens while the config stays as it is (a retry would come within
    // the link's first backoff step, well inside this window).
    const seen = states.length;
    await consistently(() => states.length === seen && phaseOf(core) === 'auth-failed', 1_500, 'the link staying in auth-failed');

    // A config change with the right token starts over.
    await env.startCoordinator();
    const config = (await core.call('config.get', undefined)) as { ok: true; value: { coordinationUrl: string; repo: string } };
    await core.call('config.set', {
      config: {
        enabled: true,
        coordinationUrl: config.value.coordinationUrl,
        repo: config.value.repo,
        localAgentTypes: [],
        remoteAgentTypes: [],
        fallbackToLocal: false,
      },
      apiToken: TOKENS.alice,
    });
    await eventually(() => phaseOf(core) === 'connected', 10_000, 'connected after fix');
  });

  it('lets two desktops in one repo see each other’s workspace agents, as remote', async () => {
    await env.startCoordinator();
    const alice = await env.startCore(TOKENS.alice);
    const bob = await env.startCore(TOKENS.bob);
    addLocalAgent(alice, 'alice.workspace');
    addLocalAgent(bob, 'bob.workspace');

    const seenByBob = await eventually(() => bob.registry.get({ repo: REPO, name: 'alice.workspace' }), 10_000, 'bob sees alice');
    const seenByAlice = await eventually(() => alice.registry.get({ repo: REPO, name: 'bob.workspace' }), 10_000, 'alice sees bob');
    // Another desktop's local agent lives on someone else's machine: remote from here.
    expect(seenByBob.location).toBe('remote');
    expect(seenByBob.owner).toBe('alice');
    expect(seenByBob.tags.desktop).toBeTruthy();
    expect(seenByAlice.owner).toBe('bob');
    // Each desktop keeps its own agent local.
    expect(alice.registry.get({ repo: REPO, name: 'alice.workspace' })?.location).toBe('local');

    // Deregistering locally removes it from the other desktop's mirror.
    alice.registry.deregister({ repo: REPO, name: 'alice.workspace' });
    await eventually(() => bob.registry.get({ repo: REPO, name: 'alice.workspace' }) === undefined, 10_000, 'removed at bob');
  });

  it('notices a dead link within 10 s with the default ping settings', async () => {
    await env.startCoordinator();
    const core = await env.startCore(TOKENS.alice, { timing: { heartbeatIntervalMs: 200 } });
    await eventually(() => phaseOf(core) === 'connected', 10_000, 'connected');
    // A frozen server: the socket stays open, only pings go unanswered.
    const pid = env.server.pid()!;
    process.kill(pid, 'SIGSTOP');
    const frozenAt = Date.now();
    try {
      await eventually(() => phaseOf(core) === 'reconnecting', 12_000, 'dead link noticed');
      expect(Date.now() - frozenAt).toBeLessThanOrEqual(10_000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await eventually(() => phaseOf(core) === 'connected', 20_000, 'back after thaw');
  }, 45_000);
});
