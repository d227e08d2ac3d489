/**
 * Spawn and fallback out of the box, with the shipped `worker` manifest: an offline
 * spawn and an agent's `spawn` line run a local worker that does its task; and with the
 * team unreachable, messages to a team agent type are served by a local stand-in, then
 * fail back to the team when it returns, each step a hop in the trace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import { createCore } from '../../../src/core/core.js';
import { AgentManifest } from '../../../src/shared/manifest.js';
import { COORDINATOR_SERVICE } from '../../../src/shared/nats-subjects.js';
import type { TraceDetail, TraceSummary } from '../../../src/shared/routing-contract.js';
import { eventually } from '../../helpers/eventually.js';
import type { RemoteEnv } from '../remote/remote-harness.js';
import { REPO, TEAM_DIR, TOKENS, phaseOf, remoteEnv } from '../remote/remote-harness.js';

const SHIPPED = fileURLToPath(new URL('../../../resources/agents', import.meta.url));
const ASKER = fileURLToPath(new URL('./fixtures/asker.mjs', import.meta.url));

async function call<T>(core: Core, name: string, input?: unknown): Promise<T> {
  const result = await core.call(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.name}: ${result.error.message}`);
  return result.value as T;
}

/** The traces of messages to `to` (newest first). */
async function tracesTo(core: Core, to: string): Promise<TraceSummary[]> {
  const page = await call<{ items: TraceSummary[] }>(core, 'traces.query', { agent: to });
  return page.items.filter((item) => item.to === to);
}

/** Waits for a delivered message to `to` of `kind` and returns its full trace. */
async function deliveredTo(core: Core, to: string, kind: string, status = 'delivered'): Promise<TraceDetail> {
  const summary = await eventually(async () => (await tracesTo(core, to)).find((item) => item.kind === kind && item.status === status), 20_000, `${kind} ${status} to ${to}`);
  return (await call<TraceDetail>(core, 'traces.get', { id: summary.messageId }))!;
}

const installAsker = (core: Core) => core.localAgents.install(AgentManifest.parse({ type: 'asker', command: process.execPath, args: [ASKER] }));

describe('the shipped worker', () => {
  let dataDir = '';
  let core: Core | undefined;
  afterEach(async () => {
    await core?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs offline spawns and agents\' spawn lines on this machine, and does their task', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-worker-'));
    core = await createCore({ dataDir, agents: { gateway: false, builtinManifestDir: SHIPPED } });
    installAsker(core);
    await call(core, 'agents.start', { type: 'asker' });

    // An agent's spawn line: the worker gets the task and answers the agent that asked.
    await call(core, 'messages.send', { to: 'asker', body: { spawn: 'compile the docs' } });
    const answer = await deliveredTo(core, 'asker', 'task.completed');
    expect(answer.summary.from).toMatch(/^worker(-\d+)?$/);
    expect(answer.body).toMatchObject({ output: 'worker on this machine took: compile the docs' });
    expect(core.registry.get({ repo: 'default', name: answer.summary.from })).toMatchObject({ type: 'worker', location: 'local' });

    // A spawn from the UI, hybrid off: local, by the shipped worker.
    const spawned = await call<{ workerName: string; route: string }>(core, 'agents.spawn', { task: 'lint', spawnedBy: 'asker' });
    expect(spawned).toMatchObject({ route: 'local', location: 'local' });
    const second = await eventually(async () => (await tracesTo(core!, 'asker')).find((t) => t.from === spawned.workerName && t.status === 'delivered'), 20_000, 'the second worker answers');
    expect((await call<TraceDetail>(core, 'traces.get', { id: second.messageId }))!.body).toMatchObject({ output: 'worker on this machine took: lint' });
  }, 60_000);
});

describe('fallback and failback of a team agent type', () => {
  let env: RemoteEnv;
  beforeEach(async () => {
    env = await remoteEnv();
  });
  afterEach(async () => {
    await env.dispose();
  });

  it('serves messages to `review` by a local stand-in while the team is away, and sends them to the team again once it is back', async () => {
    await env.startCoordinator({ team: { manifestDir: TEAM_DIR, agents: ['review'] } }, { team: true });
    const core = await env.startCore(TOKENS.alice, { builtinManifestDir: SHIPPED });
    const configured = await core.call('config.set', {
      config: { enabled: true, coordinationUrl: env.server.wsUrl, repo: REPO, localAgentTypes: ['asker'], remoteAgentTypes: ['review'], fallbackToLocal: true },
    });
    expect(configured.ok).toBe(true);
    installAsker(core);
    await call(core, 'agents.start', { type: 'asker' });
    await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');
    await eventually(() => core.registry.get({ repo: REPO, name: 'review' })?.location === 'remote', 15_000, 'the team review agent in the mirror');
    const ask = (text: string) => call(core, 'messages.send', { to: 'asker', body: { ask: 'review', text } });

    const overNats = (items: TraceSummary[]) => items.filter((item) => item.route?.routedVia === 'nats' && item.status !== 'queued');
    await ask('before the outage');
    const remote = { summary: await eventually(async () => overNats(await tracesTo(core, 'review'))[0], 20_000, 'published to the team') };
    expect(remote.summary.route).toMatchObject({ routedVia: 'nats', destLocation: 'remote' });

    await env.server.stop();
    await eventually(() => phaseOf(core) !== 'connected', 15_000, 'link down');
    // Two at once: both wait for the one stand-in's start.
    await Promise.all([ask('during the outage'), ask('also during the outage')]);
    await eventually(async () => (await tracesTo(core, 'review-standin')).filter((t) => t.status === 'delivered').length === 2, 20_000, 'both served by the stand-in');
    const served = await deliveredTo(core, 'review-standin', 'text');
    expect(served.summary.route).toMatchObject({ routedVia: 'fallback', destLocation: 'local' });
    expect(served.hops.map((hop) => hop.event)).toEqual(['accepted', 'fallback', 'delivered']);
    expect(served.hops[1]!.detail).toMatch(/"review" is served by the local stand-in "review-standin"/);
    expect(core.registry.get({ repo: REPO, name: 'review-standin' })).toMatchObject({ type: 'worker', location: 'local' });
    // The stand-in does the work and answers the asker; nothing waits in the outbox for the team.
    const answers = await eventually(async () => {
      const items = (await tracesTo(core, 'asker')).filter((t) => t.kind === 'task.completed' && t.status === 'delivered');
      return items.length === 2 ? items : undefined;
    }, 20_000, 'both answered');
    expect(answers.map((t) => t.from)).toEqual(['review-standin', 'review-standin']);
    const outputs = await Promise.all(answers.map(async (t) => ((await call<TraceDetail>(core, 'traces.get', { id: t.messageId }))!.body as { output: string }).output));
    expect(outputs.sort()).toEqual(['worker on this machine took: also during the outage', 'worker on this machine took: during the outage']);
    expect(core.registry.discover({ type: 'worker' }).map((a) => a.name)).toEqual(['review-standin']);
    expect(core.routing.router.outbox.size()).toBe(0);

    await env.server.start();
    await eventually(() => phaseOf(core) === 'connected', 20_000, 'link back');
    const probe = await env.connect(TOKENS.admin);
    await eventually(async () => (await probe.request(`$SRV.PING.${COORDINATOR_SERVICE}`, undefined, { timeout: 500 })) !== undefined, 20_000, 'coordinator back');
    // Idle, the stand-in is stopped; the next message goes to the team with a failback hop.
    await eventually(() => core.registry.get({ repo: REPO, name: 'review-standin' })?.status === 'terminated', 15_000, 'the stand-in stopped');
    await ask('after the outage');
    const back = await eventually(async () => {
      const items = await tracesTo(core, 'review');
      const latest = overNats(items).find((item) => item.messageId !== remote.summary.messageId);
      return latest ? call<TraceDetail>(core, 'traces.get', { id: latest.messageId }) : undefined;
    }, 20_000, 'the message after the outage published to the team');
    expect(back!.summary.route).toMatchObject({ routedVia: 'nats', destLocation: 'remote' });
    // Then the team's receipts (received, delivered, answered) follow.
    expect(back!.hops.map((hop) => hop.event).slice(0, 3)).toEqual(['accepted', 'failback', 'published']);
    expect(back!.hops[1]!.detail).toMatch(/"review" is served remotely/);
    // Only the first message after the return says so.
    await ask('later');
    await eventually(async () => overNats(await tracesTo(core, 'review')).length === 3, 20_000, 'third published');
    const latest = (await tracesTo(core, 'review'))[0]!;
    expect((await call<TraceDetail>(core, 'traces.get', { id: latest.messageId }))!.hops.map((hop) => hop.event).slice(0, 2)).toEqual(['accepted', 'published']);
  }, 120_000);
});
