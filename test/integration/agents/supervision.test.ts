import { afterEach, describe, expect, it } from 'vitest';
import type { Supervision } from '../../../src/shared/agent-protocol.js';
import type { TestCore } from './helpers.js';
import { fixture, isAlive, startCore } from './helpers.js';
import { eventually } from '../../helpers/eventually.js';
import { watchedClock } from '../../helpers/test-clocks.js';

const supervisionOf = (t: TestCore, name: string): Supervision | undefined =>
  t.core.registry.get({ repo: 'default', name })?.metadata.supervision as Supervision | undefined;

describe('supervision of local agents', () => {
  let t: TestCore;
  afterEach(async () => t?.close());

  it('gives a crash-looping agent at most 5 restarts in 5 minutes, then terminates it with reason crash-loop', async () => {
    const clock = watchedClock();
    t = await startCore({}, { clock });
    t.manifest({ type: 'crasher', command: 'node', args: [fixture('crasher.mjs')] });
    let spawns = 0;
    const pids = new Set<number>();
    t.core.on('agents.changed', (batch) => {
      for (const agent of batch.upserts) {
        const pid = (agent.metadata.supervision as Supervision | undefined)?.pid;
        if (agent.name === 'crasher' && pid && !pids.has(pid)) {
          pids.add(pid);
          spawns += 1;
        }
      }
    });
    await t.core.localAgents.start('crasher');
    const final = await eventually(() => {
      const s = supervisionOf(t, 'crasher');
      return s?.state === 'crash-loop' && s;
    });
    expect(final.restarts).toBe(5);
    expect(final.lastExit).toMatchObject({ reason: 'crash-loop', code: 3 });
    expect(spawns).toBe(6);
    expect(t.core.registry.get({ repo: 'default', name: 'crasher' })?.status).toBe('terminated');
    // No sixth restart happens later either: none is scheduled on the core's clock.
    expect(final.nextRestartAt).toBeNull();
    expect(clock.scheduled()).toBeGreaterThanOrEqual(5);
    expect(clock.pending()).toBe(0);
    const log = t.core.localAgents.logs('crasher', 500).map((e) => e.text);
    expect(log.some((text) => text.startsWith('crash loop'))).toBe(true);
  });

  it('finds an agent that stops heartbeating within failureThreshold × intervalMs plus one sweep, and restarts it', async () => {
    t = await startCore();
    const intervalMs = 100;
    const failureThreshold = 3;
    t.manifest({
      type: 'silent',
      command: 'node',
      args: [fixture('silent.mjs')],
      env: { HEARTBEATS: '2' },
      healthCheck: { intervalMs, failureThreshold, timeoutMs: 200, autoRestart: true },
    });
    await t.core.localAgents.start('silent');
    const first = await eventually(() => supervisionOf(t, 'silent')?.pid);
    await eventually(() => t.core.registry.get({ repo: 'default', name: 'silent' })?.status === 'unreachable', 10_000, 'unreachable');
    // The supervisor's own account of the silence it judged (measured on its clock from the
    // last heartbeat it handled, so the test's polling adds nothing): past the limit, and by
    // no more than one sweep (25 ms) plus slack for a loaded machine.
    const verdict = t.core.localAgents.logs('silent', 500).map((e) => /^no heartbeat for (\d+) ms \(limit (\d+) ms\)/.exec(e.text)).find(Boolean);
    expect(Number(verdict?.[2])).toBe(intervalMs * failureThreshold);
    expect(Number(verdict?.[1])).toBeGreaterThan(intervalMs * failureThreshold);
    expect(Number(verdict?.[1])).toBeLessThanOrEqual(intervalMs * failureThreshold + 25 + 150);
    const restarted = await eventually(() => {
      const s = supervisionOf(t, 'silent');
      return s && s.pid !== null && s.pid !== first && s;
    });
    expect(restarted.restarts).toBe(1);
    expect(restarted.lastExit?.reason).toBe('unresponsive');
    expect(isAlive(first)).toBe(false);
  });

  it('survives garbage on stdout, logs it with stderr, and keeps the agent running', async () => {
    t = await startCore();
    // A roomy threshold: this test is about garbage, not about a slow start on a loaded machine.
    t.manifest({ type: 'garbage', command: 'node', args: [fixture('garbage.mjs')], healthCheck: { intervalMs: 100, failureThreshold: 30 } });
    await t.core.localAgents.start('garbage');
    const log = await eventually(() => {
      const entries = t.core.localAgents.logs('garbage', 500);
      return entries.filter((e) => e.source === 'protocol').length >= 6 && entries.some((e) => e.source === 'stderr') && entries;
    });
    const protocol = log.filter((e) => e.source === 'protocol').map((e) => e.text);
    expect(protocol.some((text) => text.startsWith('bad-json'))).toBe(true);
    expect(protocol.some((text) => text.startsWith('bad-line'))).toBe(true);
    expect(protocol.some((text) => text.startsWith('line-too-long'))).toBe(true);
    expect(log.some((e) => e.source === 'stderr' && e.text.includes('stderr works'))).toBe(true);
    // Still running, not restarted, and still answering: its hello (after the garbage) is
    // accepted, and heartbeats keep coming after that.
    await eventually(() => supervisionOf(t, 'garbage')?.state === 'running', 5_000, 'the hello after the garbage');
    const seenAt = t.core.registry.get({ repo: 'default', name: 'garbage' })!.lastHeartbeat;
    await eventually(() => t.core.registry.get({ repo: 'default', name: 'garbage' })!.lastHeartbeat > seenAt, 5_000, 'a heartbeat after the garbage');
    expect(supervisionOf(t, 'garbage')).toMatchObject({ state: 'running', restarts: 0, pid: expect.any(Number) });
    const replies: unknown[] = [];
    t.core.localAgents.onOutbound((event) => replies.push(event.line));
    t.core.localAgents.deliver({
      id: 'msg-garbage-1', from: 'tester', to: 'garbage', repo: 'default', body: 'ping', kind: 'text',
      timestamp: Date.now(), traceId: '0'.repeat(32),
      route: { sourceLocation: 'local', destLocation: 'local', routedVia: 'local', routedAt: Date.now() },
    });
    await eventually(() => replies.length > 0);
    expect(replies[0]).toMatchObject({ type: 'send', to: 'tester', body: { echo: 'ping' } });
    expect(supervisionOf(t, 'garbage')).toMatchObject({ state: 'running', restarts: 0 });
  });

  it('stops everything on close, forked helpers and stubborn agents included: no process is left', async () => {
    t = await startCore({ timings: { stopGraceMs: 200, killAfterMs: 200, backoffInitialMs: 20 } });
    t.manifest({ type: 'forker', command: 'node', args: [fixture('forker.mjs')], healthCheck: { intervalMs: 200 } });
    await t.core.localAgents.start('forker');
    await t.core.localAgents.scale('echo', 3);
    await t.core.localAgents.start('workspace');
    const forkerLog = await eventually(() => t.core.localAgents.logs('forker').find((e) => e.text.startsWith('pids ')));
    const pids = forkerLog.text.split(' ').slice(1).map(Number);
    for (const name of ['echo', 'echo-2', 'echo-3', 'workspace']) pids.push(supervisionOf(t, name)!.pid!);
    expect(pids).toHaveLength(6);
    expect(pids.every(isAlive)).toBe(true);
    await t.core.close();
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('stops, restarts and scales through the contract, with typed errors', async () => {
    t = await startCore();
    const started = await t.core.call('agents.scale', { type: 'echo', count: 2 });
    expect(started).toMatchObject({ ok: true });
    expect((started as { value: { name: string }[] }).value.map((a) => a.name).sort()).toEqual(['echo', 'echo-2']);
    const firstPid = supervisionOf(t, 'echo')!.pid;
    const restarted = await t.core.call('agents.restart', { name: 'echo' });
    expect(restarted).toMatchObject({ ok: true, value: { name: 'echo' } });
    expect(supervisionOf(t, 'echo')!.pid).not.toBe(firstPid);
    const stopped = await t.core.call('agents.stop', { name: 'echo-2' });
    expect(stopped).toMatchObject({ ok: true, value: { status: 'terminated', metadata: { supervision: { state: 'stopped' } } } });
    expect(await t.core.call('agents.start', { type: 'nope' })).toMatchObject({ ok: false, error: { name: 'UnknownAgentType' } });
    expect(await t.core.call('agents.stop', { name: 'ghost' })).toMatchObject({ ok: false, error: { name: 'AgentNotRunning' } });
    expect(await t.core.call('agents.logs', { name: 'echo', tail: 5 })).toMatchObject({ ok: true });
    t.manifest({ type: 'broken', command: 'definitely-not-a-command-here' });
    expect(await t.core.call('agents.start', { type: 'broken' })).toMatchObject({ ok: false, error: { name: 'AgentStartFailed' } });
  });
});
