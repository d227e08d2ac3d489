/**
 * Dispatch and broadcast across machines, through a real coordinator and nats-server:
 * alice's desktop sends to `type:holder`, whose instances run on bob's desktop (remote
 * to alice). A broadcast reaches each of them once; a role send goes to the least loaded
 * by alice's own count; a pick killed (kill -9) before it accepts fails over.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import { AgentManifest } from '../../../src/shared/manifest.js';
import type { SendResult, TraceDetail, TraceSummary } from '../../../src/shared/routing-contract.js';
import { eventually } from '../../helpers/eventually.js';
import type { RemoteEnv } from '../remote/remote-harness.js';
import { REPO, TOKENS, phaseOf, remoteEnv } from '../remote/remote-harness.js';

const HOLDER = fileURLToPath(new URL('./fixtures/holder.mjs', import.meta.url));

async function call<T>(core: Core, name: string, input?: unknown): Promise<T> {
  const result = await core.call(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.name}: ${result.error.message}`);
  return result.value as T;
}

const tracesTo = async (core: Core, agent: string): Promise<TraceSummary[]> => (await call<{ items: TraceSummary[] }>(core, 'traces.query', { agent })).items;

describe('dispatch across desktops through the coordinator', () => {
  let env: RemoteEnv;
  let alice: Core;
  let bob: Core;
  beforeEach(async () => {
    env = await remoteEnv();
    await env.startCoordinator();
    alice = await env.startCore(TOKENS.alice);
    bob = await env.startCore(TOKENS.bob);
    bob.localAgents.install(AgentManifest.parse({ type: 'holder', command: process.execPath, args: [HOLDER], maxConcurrentTasks: 2, healthCheck: { autoRestart: false } }));
    for (const core of [alice, bob]) await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');
    for (const name of ['holder-a', 'holder-b']) await bob.localAgents.start('holder', name);
    for (const name of ['bob.holder-a', 'bob.holder-b']) {
      await eventually(() => alice.registry.get({ repo: REPO, name })?.status === 'active' || alice.registry.get({ repo: REPO, name })?.status === 'idle', 15_000, `${name} in alice's mirror`);
    }
  }, 60_000);
  afterEach(async () => {
    await env.dispose();
  });

  it('broadcasts to every remote instance once and dispatches to the least loaded', async () => {
    const sent = await call<SendResult>(alice, 'messages.send', { to: 'type:holder', fanout: 'all', body: { ping: 'all' } });
    expect(sent.recipients!.map((r) => r.to).sort()).toEqual(['bob.holder-a', 'bob.holder-b']);
    expect(sent.recipients!.every((r) => r.status === 'published')).toBe(true);
    // Each of bob's holders got it once, and answered alice once.
    for (const name of ['holder-a', 'holder-b']) {
      const got = await eventually(async () => {
        const items = (await tracesTo(bob, name)).filter((t) => t.to === name && t.status === 'delivered');
        return items.length > 0 && items;
      }, 20_000, `${name} delivered`);
      expect(got).toHaveLength(1);
      expect(got[0]!.traceId).toBe(sent.traceId);
    }
    const pongs = await eventually(async () => {
      const items = (await tracesTo(alice, 'user')).filter((t) => t.to === 'user' && t.from.startsWith('bob.holder-'));
      return items.length >= 2 && items;
    }, 20_000, 'both answers');
    expect(pongs.map((p) => p.from).sort()).toEqual(['bob.holder-a', 'bob.holder-b']);

    // Two tasks to the role: alice counts what she routed, so they go to different instances.
    const first = await call<SendResult>(alice, 'messages.send', { to: 'type:holder', kind: 'task.assigned', body: { taskId: 'r1', title: 'one', prompt: 'hold' } });
    const second = await call<SendResult>(alice, 'messages.send', { to: 'type:holder', kind: 'task.assigned', body: { taskId: 'r2', title: 'two', prompt: 'hold' } });
    expect(new Set([first.to, second.to])).toEqual(new Set(['bob.holder-a', 'bob.holder-b']));
    expect(second.reason).toMatch(/^type:holder: chose bob\.holder-[ab]: least loaded 0\/2 among 2 healthy$/);
    const detail = await eventually(async () => {
      const d = await call<TraceDetail>(alice, 'traces.get', { id: second.messageId });
      return d.hops.some((h) => h.event === 'received') && d;
    }, 20_000, 'the receipt of the second task');
    expect(detail.hops.slice(0, 3).map((h) => h.event)).toEqual(['accepted', 'dispatched', 'published']);
  }, 90_000);

  it("fails over when bob's pick is killed before it accepts", async () => {
    let killed = '';
    alice.routing.dispatcher.onChosen = async (agent) => {
      if (killed) return;
      killed = agent.name;
      const local = bob.registry.get({ repo: REPO, name: agent.name.replace(/^bob\./, '') })!;
      process.kill((local.metadata.supervision as { pid: number }).pid, 'SIGKILL');
      await eventually(() => {
        const status = alice.registry.get({ repo: REPO, name: agent.name })?.status;
        // Bob's desktop deregisters an agent that died: alice's mirror drops it.
        return status === undefined || status === 'terminated' || status === 'unreachable';
      }, 20_000, `${agent.name} seen dead by alice`);
    };
    const sent = await call<SendResult>(alice, 'messages.send', { to: 'type:holder', body: { ping: 'failover' } });
    expect(killed).toMatch(/^bob\.holder-[ab]$/);
    expect(sent.to).not.toBe(killed);
    expect(sent.reason).toContain(`${killed} went away before accepting it`);
    const survivor = sent.to!.replace(/^bob\./, '');
    const got = await eventually(async () => {
      const items = (await tracesTo(bob, survivor)).filter((t) => t.to === survivor && t.status === 'delivered');
      return items.length > 0 && items;
    }, 20_000, 'the survivor got it');
    expect(got).toHaveLength(1);
    expect(got[0]!.traceId).toBe(sent.traceId);
    expect(alice.routing.router.outbox.has(REPO, killed)).toBe(false);
  }, 90_000);
});
