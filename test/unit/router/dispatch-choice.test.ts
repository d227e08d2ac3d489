/**
 * The pure parts of dispatch: which instance a role send picks and why, and how the
 * router counts open tasks.
 */
import { describe, expect, it } from 'vitest';
import type { AgentInfo, AgentStatus, Location } from '../../../src/shared/domain.js';
import type { RoleCandidate, RoleContext } from '../../../src/core/router/role-selection.js';
import { chooseInstance } from '../../../src/core/router/role-selection.js';
import { WorkloadLedger } from '../../../src/core/router/workload.js';

function agent(name: string, change: Partial<AgentInfo> = {}): AgentInfo {
  return {
    name, type: 'worker', location: 'local', ownership: 'task', repo: 'r', owner: 'me', endpoint: 'stdio:1', instanceId: `i-${name}`,
    registeredAt: 0, lastHeartbeat: 1000, status: 'idle', capabilities: [], tags: {}, load: { current: 0, max: 2 }, metadata: {}, revision: 1,
    ...change,
  };
}

function candidate(name: string, current: number, extra: { status?: AgentStatus; location?: Location; placedAt?: Location; max?: number; backlogged?: boolean; heartbeat?: number } = {}): RoleCandidate {
  const info = agent(name, { status: extra.status ?? 'idle', lastHeartbeat: extra.heartbeat ?? 1000 });
  return { agent: info, load: { current, max: extra.max ?? 2 }, location: extra.location ?? 'local', placedAt: extra.placedAt ?? 'local', backlogged: extra.backlogged ?? false };
}

const ctx = (change: Partial<RoleContext> = {}): RoleContext => ({ hostLocation: 'local', hybridEnabled: true, linkUp: true, exclude: new Set(), ...change });

describe('choosing an instance of a role', () => {
  it('takes the least loaded healthy one and says what it skipped', () => {
    const choice = chooseInstance([candidate('w1', 2), candidate('w2', 1), candidate('w3', 0), candidate('w4', 0, { status: 'unreachable' })], ctx());
    expect(choice.chosen?.agent.name).toBe('w3');
    expect(choice.reason).toBe('chose w3: least loaded 0/2 among 2 healthy; skipped w1 (full 2/2), w4 (unreachable)');
  });

  it('prefers ready over busy, in place over elsewhere, reachable now over behind a down link', () => {
    expect(chooseInstance([candidate('busy', 0, { status: 'busy' }), candidate('ready', 1)], ctx()).chosen?.agent.name).toBe('ready');
    const placed = chooseInstance([candidate('here', 0, { placedAt: 'remote' }), candidate('team', 1, { location: 'remote', placedAt: 'remote' })], ctx());
    expect(placed.chosen?.agent.name).toBe('team');
    const down = chooseInstance([candidate('team', 0, { location: 'remote', placedAt: 'remote' }), candidate('here', 1, { placedAt: 'remote' })], ctx({ linkUp: false }));
    expect(down.chosen?.agent.name).toBe('here');
    expect(down.reason).toContain('outside its placement (remote)');
  });

  it('skips remote instances with hybrid off, backlogged ones and the excluded, and says when none is left', () => {
    const choice = chooseInstance(
      [candidate('team', 0, { location: 'remote' }), candidate('slow', 0, { backlogged: true }), candidate('me', 0)],
      ctx({ hybridEnabled: false, exclude: new Set(['me']) }),
    );
    expect(choice.chosen).toBeUndefined();
    expect(choice.reason).toBe('no healthy instance with free workload; skipped team (remote, hybrid off), slow (messages already waiting for it)');
  });

  it('treats max 0 as no limit and breaks ties by the freshest heartbeat, then the name', () => {
    expect(chooseInstance([candidate('a', 40, { max: 0 }), candidate('b', 3, { max: 0 })], ctx()).chosen?.agent.name).toBe('b');
    expect(chooseInstance([candidate('a', 0, { heartbeat: 1 }), candidate('b', 0, { heartbeat: 2 })], ctx()).chosen?.agent.name).toBe('b');
    expect(chooseInstance([candidate('b', 0), candidate('a', 0)], ctx()).chosen?.agent.name).toBe('a');
  });

  it('keeps a long skipped list readable', () => {
    const full = Array.from({ length: 8 }, (_, i) => candidate(`f${i}`, 2));
    expect(chooseInstance(full, ctx()).reason).toBe('no healthy instance with free workload; skipped f0 (full 2/2), f1 (full 2/2), f2 (full 2/2), f3 (full 2/2), f4 (full 2/2) and 3 more');
  });
});

describe('open tasks counted by the router', () => {
  const msg = (kind: string, from: string, to: string, body: unknown, id = `m-${Math.random()}`) => ({ id, repo: 'r', from, to, kind: kind as never, body: body as never });

  it('opens on task.assigned and closes on the assignee\'s completion, failure or a cancel', () => {
    const ledger = new WorkloadLedger();
    ledger.observe(msg('task.assigned', 'user', 'w1', { taskId: 't1' }));
    ledger.observe(msg('task.assigned', 'user', 'w1', { taskId: 't2' }));
    ledger.observe(msg('task.assigned', 'user', 'w1', { taskId: 't3' }));
    // The same message seen again (accepted, then delivered) counts once.
    ledger.observe(msg('task.assigned', 'user', 'w1', { taskId: 't3' }));
    expect(ledger.count('r', 'w1')).toBe(3);
    expect(ledger.isFull(agent('w1', { load: { current: 0, max: 3 } }))).toBe(true);
    ledger.observe(msg('task.completed', 'w1', 'user', { taskId: 't1' }));
    // Someone else's completion of the same id does not close w1's task.
    ledger.observe(msg('task.failed', 'w2', 'user', { taskId: 't2' }));
    expect(ledger.count('r', 'w1')).toBe(2);
    ledger.observe(msg('task.failed', 'w1', 'user', { taskId: 't2' }));
    ledger.observe(msg('task.cancel', 'user', 'w1', { taskId: 't3' }));
    expect(ledger.count('r', 'w1')).toBe(0);
  });

  it('limits by the larger of its count and the reported load, and forgets a gone agent', () => {
    const ledger = new WorkloadLedger();
    ledger.observe(msg('task.assigned', 'user', 'w1', {}, 'no-task-id'));
    expect(ledger.load(agent('w1', { load: { current: 0, max: 2 } }))).toEqual({ current: 1, max: 2 });
    expect(ledger.load(agent('w1', { load: { current: 2, max: 2 } }))).toEqual({ current: 2, max: 2 });
    expect(ledger.isFull(agent('w1', { load: { current: 5, max: 0 } }))).toBe(false);
    ledger.forget('r', 'w1');
    expect(ledger.count('r', 'w1')).toBe(0);
  });
});
