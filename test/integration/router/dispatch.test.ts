/**
 * Dispatch to a role and broadcast on one desktop, with real agent processes: a send to
 * `type:holder` goes to the least loaded healthy instance and says why in its trace; the
 * router counts open tasks against maxConcurrentTasks; a pick killed (kill -9) before it
 * accepts fails over to another instance; a broadcast reaches every instance once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import { createCore } from '../../../src/core/core.js';
import { AgentManifest } from '../../../src/shared/manifest.js';
import type { SendResult, TraceDetail, TraceSummary } from '../../../src/shared/routing-contract.js';
import { eventually } from '../../helpers/eventually.js';

const HOLDER = fileURLToPath(new URL('./fixtures/holder.mjs', import.meta.url));
const REPO = 'default';

async function call<T>(core: Core, name: string, input?: unknown): Promise<T> {
  const result = await core.call(name, input);
  if (!result.ok) throw Object.assign(new Error(`${name}: ${result.error.name}: ${result.error.message}`), { errorName: result.error.name });
  return result.value as T;
}

async function refusal(core: Core, name: string, input: unknown): Promise<{ name: string; message: string }> {
  const result = await core.call(name, input);
  if (result.ok) throw new Error(`${name} was expected to fail`);
  return result.error;
}

const trace = async (core: Core, id: string): Promise<TraceDetail> => (await call<TraceDetail | null>(core, 'traces.get', { id }))!;

let seq = 0;
const task = (to: string) => ({ to, kind: 'task.assigned', body: { taskId: `t${++seq}`, title: 'hold', prompt: 'hold this' } });

describe('dispatch to a role', () => {
  let dataDir = '';
  let core: Core;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-dispatch-'));
    core = await createCore({ dataDir, agents: { gateway: false } });
    core.localAgents.install(
      AgentManifest.parse({ type: 'holder', command: process.execPath, args: [HOLDER], maxConcurrentTasks: 2, healthCheck: { autoRestart: false } }),
    );
    for (const name of ['holder-a', 'holder-b', 'holder-c']) await call(core, 'agents.start', { type: 'holder', name });
  });
  afterEach(async () => {
    core.routing.dispatcher.onChosen = undefined;
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('picks the least loaded healthy instance, counts open tasks and refuses a full agent by name', async () => {
    // holder-a full (2/2), holder-b at 1/2: the role goes to holder-c, and the trace says why.
    const first = task('holder-a');
    await call(core, 'messages.send', first);
    await call(core, 'messages.send', task('holder-a'));
    await call(core, 'messages.send', task('holder-b'));
    const sent = await call<SendResult>(core, 'messages.send', task('type:holder'));
    expect(sent).toMatchObject({ to: 'holder-c', status: 'delivered' });
    expect(sent.reason).toBe('type:holder: chose holder-c: least loaded 0/2 among 2 healthy; skipped holder-a (full 2/2)');
    const hops = (await eventually(async () => {
      const detail = await trace(core, sent.messageId);
      return detail.hops.some((h) => h.event === 'delivered') && detail;
    })).hops;
    expect(hops.map((h) => h.event)).toEqual(['accepted', 'dispatched', 'delivered']);
    expect(hops[1]!.detail).toBe(sent.reason);
    expect(core.routing.workload.count(REPO, 'holder-c')).toBe(1);

    // A task by name to the full agent is refused, with a rejected trace and nothing delivered.
    const refused = await refusal(core, 'messages.send', task('holder-a'));
    expect(refused.name).toBe('WorkloadFull');
    expect(refused.message).toContain('"holder-a" already runs 2 of its 2 task(s)');
    const rejected = await eventually(async () => (await call<{ items: TraceSummary[] }>(core, 'traces.query', { agent: 'holder-a', status: 'rejected' })).items[0]);
    expect(rejected.kind).toBe('task.assigned');

    // holder-a finishes one (its task.completed closes it): it takes work again.
    await call(core, 'messages.send', { to: 'holder-a', body: { finish: first.body.taskId } });
    await eventually(() => core.routing.workload.count(REPO, 'holder-a') === 1, 10_000, 'holder-a to close a task');
    await call(core, 'messages.send', task('holder-a'));

    // Everyone full: the role has no one, and says what to do.
    await call(core, 'messages.send', task('holder-b'));
    await call(core, 'messages.send', task('holder-c'));
    const none = await refusal(core, 'messages.send', task('type:holder'));
    expect(none.name).toBe('NoAgentAvailable');
    expect(none.message).toContain('no instance of "type:holder"');
    expect(none.message).toContain('holder-a (full 2/2)');
    expect(none.message).toContain('raise its maxConcurrentTasks');
  }, 60_000);

  it('fails over to another instance when its pick is killed before it accepts', async () => {
    let killed = '';
    core.routing.dispatcher.onChosen = async (agent) => {
      if (killed) return;
      killed = agent.name;
      const pid = (agent.metadata.supervision as { pid: number }).pid;
      process.kill(pid, 'SIGKILL');
      await eventually(() => core.registry.get({ repo: REPO, name: agent.name })?.status === 'terminated' || core.registry.get({ repo: REPO, name: agent.name })?.status === 'unreachable', 10_000, `${agent.name} to be seen dead`);
    };
    const sent = await call<SendResult>(core, 'messages.send', { to: 'type:holder', body: { ping: 1 } });
    expect(killed).not.toBe('');
    expect(sent.to).not.toBe(killed);
    expect(sent.status).toBe('delivered');
    expect(sent.reason).toContain(`${killed} went away before accepting it`);
    // The answer comes from the instance that took it over, once.
    const answer = await eventually(async () => (await call<{ items: TraceSummary[] }>(core, 'traces.query', { agent: 'user' })).items.find((t) => t.from === sent.to && t.kind === 'text'));
    expect(answer.traceId).not.toBe('');

    // The lost message says where it went; the new one starts with the failover.
    const traces = await eventually(async () => {
      const items = (await call<{ items: TraceSummary[] }>(core, 'traces.query', {})).items.filter((t) => t.traceId === sent.traceId);
      return items.length === 2 && items;
    });
    const lost = await trace(core, traces.find((t) => t.to === killed)!.messageId);
    expect(lost.hops.map((h) => h.event)).toEqual(['accepted', 'dispatched', 'queued', 'failover']);
    expect(lost.hops.at(-1)!.detail).toBe(`${killed} went away before accepting it: sent to ${sent.to} as ${sent.messageId}`);
    const taken = await trace(core, sent.messageId);
    expect(taken.hops.map((h) => h.event)).toEqual(['accepted', 'failover', 'delivered']);
    // Nothing is left waiting for the dead agent.
    expect(core.routing.router.outbox.has(REPO, killed)).toBe(false);
  }, 60_000);

  it('broadcasts to every instance of the role once, each delivery traced', async () => {
    const sent = await call<SendResult>(core, 'messages.send', { to: 'type:holder', fanout: 'all', body: { ping: 'all' } });
    expect(sent.recipients!.map((r) => r.to).sort()).toEqual(['holder-a', 'holder-b', 'holder-c']);
    expect(sent.recipients!.every((r) => r.status === 'delivered')).toBe(true);
    const pongs = await eventually(async () => {
      const items = (await call<{ items: TraceSummary[] }>(core, 'traces.query', { agent: 'user' })).items.filter((t) => t.to === 'user' && t.from.startsWith('holder-'));
      return items.length >= 3 && items;
    });
    expect(pongs.map((p) => p.from).sort()).toEqual(['holder-a', 'holder-b', 'holder-c']);
    for (const [i, r] of sent.recipients!.entries()) {
      const detail = await trace(core, r.messageId);
      expect(detail.summary.traceId).toBe(sent.traceId);
      expect(detail.hops.find((h) => h.event === 'dispatched')!.detail).toBe(`broadcast ${i + 1} of 3 to type:holder`);
    }

    // `*`: every agent of the repo but the sender (holder-a asks, the other two answer it).
    const all = await call<SendResult>(core, 'messages.send', { from: 'holder-a', to: '*', body: { ping: 'star' } });
    expect(all.recipients!.map((r) => r.to).sort()).toEqual(expect.arrayContaining(['holder-b', 'holder-c']));
    expect(all.recipients!.map((r) => r.to)).not.toContain('holder-a');
    const starPongs = await eventually(async () => {
      const items = (await call<{ items: TraceSummary[] }>(core, 'traces.query', { agent: 'holder-a' })).items.filter((t) => t.to === 'holder-a' && t.from !== 'user' && t.status === 'delivered');
      return items.length >= 2 && items;
    }, 20_000, 'the answers to holder-a');
    expect(starPongs.map((t) => t.from).sort()).toEqual(['holder-b', 'holder-c']);

    // An agent's own send line to a role with fanout all: the other two instances answer it, once each.
    const relay = await call<SendResult>(core, 'messages.send', { to: 'holder-c', body: { relay: { to: 'type:holder', fanout: 'all', body: { ping: 'relay' } } } });
    const relayed = await eventually(async () => {
      const items = (await call<{ items: TraceSummary[] }>(core, 'traces.query', { agent: 'holder-c', since: relay.route.routedAt })).items;
      const out = items.filter((t) => t.from === 'holder-c' && t.to !== 'user');
      const back = items.filter((t) => t.to === 'holder-c' && t.from !== 'user' && t.status === 'delivered');
      return out.length >= 2 && back.length >= 2 && { out, back };
    }, 20_000, 'the answers to holder-c');
    expect(relayed.out.map((t) => t.to).sort()).toEqual(['holder-a', 'holder-b']);
    expect(relayed.back.map((t) => t.from).sort()).toEqual(['holder-a', 'holder-b']);
  }, 60_000);
});
