import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import { AgentManifest } from '../../../src/shared/manifest.js';
import type { TracePage } from '../../../src/shared/routing-contract.js';
import type { RemoteEnv } from '../remote/remote-harness.js';
import { REPO, TOKENS, phaseOf, remoteEnv } from '../remote/remote-harness.js';
import { eventually } from '../../helpers/eventually.js';
import { ECHO_AGENT } from '../../helpers/shipped-agents.js';


async function traces(core: Core, agent: string): Promise<TracePage['items']> {
  const page = await core.call('traces.query', { agent });
  return page.ok ? (page.value as TracePage).items : [];
}

describe('two desktops and a coordinator', () => {
  let env: RemoteEnv;
  beforeEach(async () => {
    env = await remoteEnv();
  });
  afterEach(async () => {
    await env.dispose();
  });

  it("routes a message from one desktop's agent to another's over JetStream and the answer back, with traces on both", async () => {
    await env.startCoordinator();
    const alice = await env.startCore(TOKENS.alice);
    const bob = await env.startCore(TOKENS.bob);
    for (const core of [alice, bob]) {
      core.localAgents.install(AgentManifest.parse({ type: 'echo', command: process.execPath, args: [ECHO_AGENT] }));
      await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');
    }
    // Both desktops run an agent with the default name `echo`: on NATS each goes under its
    // user's prefix (alice.echo, bob.echo), the only names their permissions allow.
    await alice.localAgents.start('echo', 'echo');
    await bob.localAgents.start('echo', 'echo');
    // Each sees the other's agent through the mirror, as remote.
    await eventually(() => alice.registry.get({ repo: REPO, name: 'bob.echo' })?.location === 'remote', 15_000, 'bob.echo in alice mirror');
    await eventually(() => bob.registry.get({ repo: REPO, name: 'alice.echo' })?.location === 'remote', 15_000, 'alice.echo in bob mirror');
    expect(alice.registry.get({ repo: REPO, name: 'bob.echo' })?.owner).toBe('bob');

    const sent = await alice.call('messages.send', { from: 'echo', to: 'bob.echo', body: 'hello bob', kind: 'help.request' });
    expect(sent).toMatchObject({ ok: true, value: { status: 'published', route: { sourceLocation: 'local', destLocation: 'remote', routedVia: 'nats' } } });

    // Bob's echo answered alice.echo; the answer reached alice's local echo agent.
    const answer = await eventually(async () => (await traces(alice, 'echo')).find((t) => t.to === 'echo' && t.status === 'delivered'), 20_000, 'answer delivered');
    expect(answer).toMatchObject({ from: 'bob.echo', kind: 'text', route: { routedVia: 'nats' } });
    const detail = await alice.call('traces.get', { id: answer.messageId });
    expect(detail.ok && (detail.value as { hops: Array<{ where: string; event: string }> }).hops.map((h) => `${h.where}:${h.event}`)).toEqual([
      'nats:accepted',
      'agent:delivered',
    ]);
    expect(detail.ok && (detail.value as { body: unknown }).body).toMatchObject({ echo: 'hello bob' });

    const request = (await traces(bob, 'echo')).find((t) => t.to === 'echo');
    expect(request).toMatchObject({ from: 'alice.echo', status: 'delivered' });
    // Bob's desktop reported back (receipts): alice's own trace follows the message to
    // bob's machine, into bob's echo, and to its answer, each hop with its time.
    const mine = await eventually(async () => (await traces(alice, 'bob.echo')).find((t) => t.to === 'bob.echo' && t.status === 'answered'), 20_000, 'request answered');
    const path = await alice.call('traces.get', { id: mine.messageId });
    const hops = path.ok ? (path.value as { hops: Array<{ where: string; event: string; at: number; detail: string }> }).hops : [];
    expect(hops.map((h) => `${h.where}:${h.event}`)).toEqual(['router:accepted', 'nats:published', 'desktop:received', 'remote-agent:delivered', 'remote-agent:answered']);
    expect(hops[2]!.detail).toMatch(/received by bob's desktop; remote time \d\d:\d\d:\d\d\.\d{3}Z on bob's desktop's clock/);
    expect(hops[4]!.detail).toContain(`bob.echo answered with ${answer.messageId}`);
    // Per-hop latency reads as the timeline's differences: in order, and the answer no later than its arrival here.
    for (let i = 1; i < hops.length; i++) expect(hops[i]!.at).toBeGreaterThanOrEqual(hops[i - 1]!.at);
    expect(hops[4]!.at).toBeLessThanOrEqual(answer.createdAt);
    // Nobody's permissions were in the way.
    for (const core of [alice, bob]) expect(core.handlers['connection.get']()).toMatchObject({ phase: 'connected', lastError: null });
  }, 90_000);
});
