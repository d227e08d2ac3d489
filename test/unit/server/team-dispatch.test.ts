/**
 * The coordinator's dispatch of team agents' role sends, its pure part: which instance
 * a send goes to, what waits when none is free and in what order, when it expires, and
 * what a spawn rule reads. (End to end with real processes and NATS:
 * test/integration/remote/team-flow.slow.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { AgentInfo, RoutedMessage } from '../../../src/shared/domain.js';
import { memoryLogger } from '../../../src/server/log.js';
import { PARK_LIMIT, PARK_TTL_MS, TeamDispatch } from '../../../src/server/team-dispatch.js';

function agent(name: string, overrides: Partial<AgentInfo> = {}): AgentInfo {
  return {
    name,
    type: 'task-worker',
    location: 'remote',
    ownership: 'repo',
    repo: 'demo',
    owner: 'team',
    endpoint: `sy.demo.agent.${name}.inbox`,
    instanceId: `i/${name}`,
    registeredAt: 1,
    lastHeartbeat: 1,
    status: 'active',
    capabilities: ['task'],
    tags: {},
    load: { current: 0, max: 1 },
    metadata: {},
    revision: 1,
    ...overrides,
  } as AgentInfo;
}

let seq = 0;
function message(to: string, body: Record<string, unknown>, kind: RoutedMessage['kind'] = 'task.assigned', from = 'supervisor', at = 1_000): RoutedMessage {
  return {
    id: `m-${++seq}`,
    from,
    to,
    repo: 'demo',
    body: body as RoutedMessage['body'],
    kind,
    timestamp: at,
    route: { sourceLocation: 'remote', destLocation: 'remote', routedVia: 'nats', routedAt: at },
    traceId: '0'.repeat(32),
  };
}

function setup(agents: AgentInfo[]) {
  const published: RoutedMessage[] = [];
  const logs: string[] = [];
  let now = 1_000;
  const dispatch = new TeamDispatch({
    agents: () => agents,
    publish: (m) => {
      published.push(m);
      dispatch.observe(m);
      return Promise.resolve();
    },
    log: memoryLogger(logs),
    now: () => now,
  });
  /** Lets retries run (they are started without waiting). */
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return { dispatch, published, logs, settle, advance: (ms: number) => (now += ms) };
}

const sub = (n: number) => message('capability:task', { taskId: `t-s${n}`, title: `s${n}`, prompt: `s${n}` });

describe('TeamDispatch', () => {
  it('spreads tasks over the least loaded instances with the capability, never the sender or one without it', async () => {
    const agents = [agent('task-worker-1'), agent('task-worker-2'), agent('supervisor', { type: 'supervisor', capabilities: ['plan', 'task'] }), agent('review', { type: 'review', capabilities: ['review'] })];
    const { dispatch, published, logs } = setup(agents);
    for (const n of [1, 2]) expect(await dispatch.dispatch(sub(n), undefined, 'team')).toMatchObject({ status: 'sent' });
    expect(published.map((m) => m.to)).toEqual(['task-worker-1', 'task-worker-2']);
    expect(logs.filter((l) => l.includes('"dispatched"'))[0]).toMatch(/least loaded 0\/1 among 2 healthy/);
  });

  it('parks a send when every instance is full and delivers the waiting ones in order as tasks close', async () => {
    const { dispatch, published, settle } = setup([agent('task-worker-1')]);
    await dispatch.dispatch(sub(1), undefined, 'team');
    expect(await dispatch.dispatch(sub(2), undefined, 'team')).toMatchObject({ status: 'parked', waiting: 1 });
    expect(await dispatch.dispatch(sub(3), undefined, 'team')).toMatchObject({ status: 'parked', waiting: 2 });
    expect(dispatch.parked('demo')).toEqual([{ target: 'capability:task', queued: 2 }]);
    expect(dispatch.queuedFor('demo', 'task-worker', ['task'])).toBe(2);
    expect(dispatch.queuedFor('demo', 'review', ['review'])).toBe(0);

    // The worker completes s1: s2 (not s3) goes to it.
    dispatch.observe(message('supervisor', { taskId: 't-s1' }, 'task.completed', 'task-worker-1'));
    await settle();
    expect(published.map((m) => (m.body as { taskId: string }).taskId)).toEqual(['t-s1', 't-s2']);
    dispatch.observe(message('supervisor', { taskId: 't-s2' }, 'task.completed', 'task-worker-1'));
    await settle();
    expect(published.map((m) => (m.body as { taskId: string }).taskId)).toEqual(['t-s1', 't-s2', 't-s3']);
    expect(dispatch.parked('demo')).toEqual([]);
  });

  it('retries when an instance registers, and drops a parked send past its ttl', async () => {
    const agents: AgentInfo[] = [];
    const { dispatch, published, logs, settle, advance } = setup(agents);
    const changes: number[] = [];
    dispatch.onParkedChange(() => changes.push(dispatch.queuedFor('demo', 'task-worker', ['task'])));
    await dispatch.dispatch({ ...sub(1), ttlMs: 5_000 }, undefined, 'team');
    await dispatch.dispatch(sub(2), undefined, 'team');
    advance(6_000);
    agents.push(agent('task-worker-1'));
    dispatch.retry();
    await settle();
    // s1 expired unseen; s2 (no ttl: PARK_TTL_MS) went to the new worker.
    expect(published.map((m) => (m.body as { taskId: string }).taskId)).toEqual(['t-s2']);
    expect(logs.some((l) => l.includes('a parked message expired'))).toBe(true);
    expect(changes).toEqual([1, 2, 0]);
    expect(PARK_TTL_MS).toBeGreaterThan(6_000);
  });

  it("forgets the open tasks of an instance that went unreachable: back up, it takes work again", async () => {
    const worker = agent('task-worker-1');
    const agents = [worker];
    const { dispatch, published, settle } = setup(agents);
    await dispatch.dispatch(sub(1), undefined, 'team');
    expect(await dispatch.dispatch(sub(2), undefined, 'team')).toMatchObject({ status: 'parked' });
    agents[0] = { ...worker, status: 'unreachable' };
    dispatch.retry();
    await settle();
    agents[0] = { ...worker, status: 'active' };
    dispatch.retry();
    await settle();
    expect(published.map((m) => (m.body as { taskId: string }).taskId)).toEqual(['t-s1', 't-s2']);
  });

  it('refuses a send once PARK_LIMIT wait for the target', async () => {
    const { dispatch } = setup([]);
    for (let n = 0; n < PARK_LIMIT; n++) await dispatch.dispatch(sub(n), undefined, 'team');
    expect(await dispatch.dispatch(sub(PARK_LIMIT), undefined, 'team')).toMatchObject({ status: 'refused' });
    expect(dispatch.parked('demo')).toEqual([{ target: 'capability:task', queued: PARK_LIMIT }]);
  });

  it('broadcasts to every live instance of the role once, each copy its own id, never to the sender', async () => {
    const agents = [agent('task-worker-1'), agent('task-worker-2', { load: { current: 1, max: 1 } }), agent('task-worker-3', { status: 'terminated' }), agent('supervisor', { type: 'supervisor', capabilities: ['task'] })];
    const { dispatch, published } = setup(agents);
    const sent = await dispatch.dispatch(message('capability:task', { note: 'stop at noon' }, 'text'), 'all', 'team');
    expect(sent).toMatchObject({ status: 'sent', to: ['task-worker-1', 'task-worker-2'] });
    expect(new Set(published.map((m) => m.id)).size).toBe(2);
    await dispatch.dispatch(message('*', { note: 'hello' }, 'text'), undefined, 'team');
    expect(published.slice(2).map((m) => m.to)).toEqual(['task-worker-1', 'task-worker-2']);
  });
});
