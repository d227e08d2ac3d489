/**
 * What each source says and when: the advice a refusal gets by its name, a link down
 * only past the threshold (on the injected clock), an auth failure at once, crash loops
 * from the registry feed folded by exit, the outbox alert with hysteresis, and the
 * thresholds from the environment.
 */
import { describe, expect, it } from 'vitest';
import { createProblems, thresholdsOf } from '../../../src/core/problems/index.js';
import { duration, refusalAdvice, registrationRefused } from '../../../src/core/problems/reports.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
import type { ConnectionState } from '../../../src/shared/connection.js';
import type { ProblemsChanged } from '../../../src/shared/problems.js';
import { manualClock } from '../../helpers/test-clocks.js';

function setup(thresholds = { linkDownAfterMs: 30_000, outboxAlertAt: 10 }) {
  const clock = manualClock(0);
  const events: ProblemsChanged[] = [];
  const outbox = { n: 0, size: () => outbox.n, largest: () => (outbox.n > 0 ? { repo: 'demo', to: 'review', count: outbox.n } : undefined) };
  const problems = createProblems({ clock, thresholds, repo: () => 'demo', outbox: () => outbox, emit: (change) => events.push(change) });
  const link = (phase: ConnectionState['phase'], lastError: string | null = null) =>
    problems.connection({ phase, server: 'wss://team.example', lastError, since: clock.now() });
  return { clock, events, problems, outbox, link };
}

function agent(name: string, supervision: Record<string, unknown>, status: AgentInfo['status'] = 'terminated'): AgentInfo {
  return {
    name,
    type: 'echo',
    location: 'local',
    ownership: 'user',
    repo: 'demo',
    owner: 'me',
    endpoint: 'stdio',
    instanceId: `i-${name}`,
    capabilities: [],
    tags: {},
    status,
    load: { activeTasks: 0, maxConcurrentTasks: 1 },
    lastHeartbeat: 0,
    registeredAt: 0,
    metadata: { supervision },
  } as unknown as AgentInfo;
}

describe('advice', () => {
  it('tells what to do for each refusal the coordinator gives, and something sensible for others', () => {
    expect(refusalAdvice('NameConflict')).toMatch(/another name/);
    expect(refusalAdvice('QuotaExceeded')).toMatch(/Stop an agent you no longer need|raise your quota/);
    expect(refusalAdvice('NotAllowed')).toMatch(/ask a team admin/);
    expect(refusalAdvice('SomethingNew')).toMatch(/coordinator refused/);
    const problem = registrationRefused('demo', 'one', 'alice.one', { name: 'QuotaExceeded', message: 'the limit is 1' });
    expect(problem).toMatchObject({ id: 'coordinator.register:demo/one', severity: 'error', source: 'coordinator', reason: 'the limit is 1' });
    expect(problem.title).toBe('The team refused to register one (as alice.one): QuotaExceeded');
  });

  it('says durations in words', () => {
    expect(duration(45_000)).toBe('45 s');
    expect(duration(65_000)).toBe('1 min 5 s');
    expect(duration(120_000)).toBe('2 min');
    expect(duration(3_900_000)).toBe('1 h 5 min');
  });
});

describe('the link', () => {
  it('is down only past the threshold, and resolved when it is back', () => {
    const { clock, problems, link } = setup();
    link('connecting');
    clock.advance(10_000);
    link('reconnecting', 'connection refused');
    clock.advance(19_999);
    expect(problems.center.list()).toEqual([]);
    clock.advance(1);
    expect(problems.center.list()).toMatchObject([
      { id: 'link.down', severity: 'error', title: 'No link to the team for 30 s', reason: 'connection refused', resolvedAt: null },
    ]);
    expect(problems.center.list()[0]?.advice).toMatch(/wss:\/\/team\.example/);
    link('connected');
    expect(problems.center.list()[0]?.resolvedAt).toBe(30_000);
  });

  it('says nothing of a blip shorter than the threshold', () => {
    const { clock, problems, link } = setup();
    link('reconnecting');
    clock.advance(29_000);
    link('connected');
    clock.advance(60_000);
    expect(problems.center.list()).toEqual([]);
  });

  it('raises an auth failure at once, with the server’s reason, and resolves it when the link comes up or is turned off', () => {
    const { clock, problems, link, events } = setup();
    link('connecting');
    link('auth-failed', 'the server refused the token (Authorization Violation)');
    expect(events.at(-1)?.raised).toEqual(['link.auth-failed']);
    const [problem] = problems.center.list();
    expect(problem?.reason).toMatch(/Authorization Violation/);
    expect(problem?.advice).toMatch(/API token in Settings/);
    // Not also "down": the auth problem says it better.
    clock.advance(60_000);
    expect(problems.center.list()).toHaveLength(1);
    link('disabled');
    expect(problems.center.list()[0]?.resolvedAt).toBe(60_000);
  });
});

describe('local agents', () => {
  it('raises a crash loop once per give-up and resolves it when the agent runs again', () => {
    const { problems, events } = setup();
    const looping = agent('flaky', { state: 'crash-loop', pid: null, restarts: 5, lastExit: { code: 1, signal: null, reason: 'crash-loop', at: 5, detail: '5 exits in 60 s' } });
    problems.agents({ upserts: [looping], removals: [] });
    problems.agents({ upserts: [looping], removals: [] });
    expect(problems.center.list()).toMatchObject([{ id: 'agent.crash-loop:demo/flaky', count: 1, reason: '5 exits in 60 s', source: 'agent' }]);
    expect(problems.center.list()[0]?.advice).toMatch(/Logs/);
    problems.agents({ upserts: [agent('flaky', { state: 'running', pid: 4, restarts: 0, lastExit: null }, 'active')], removals: [] });
    expect(problems.center.list()[0]?.resolvedAt).not.toBeNull();
    problems.agents({ upserts: [looping], removals: [] });
    expect(problems.center.list()[0]).toMatchObject({ count: 2, resolvedAt: null });
    expect(events.filter((event) => event.raised.length > 0)).toHaveLength(2);
    problems.agents({ upserts: [], removals: [{ repo: 'demo', name: 'flaky' }] });
    expect(problems.center.list()[0]?.resolvedAt).not.toBeNull();
  });

  it('resolves a registration refusal when the agent registers after all, or ends', () => {
    const { problems } = setup();
    problems.link({ kind: 'refused', agent: 'one', wire: 'one', error: { name: 'NameConflict', message: 'held' } });
    expect(problems.center.list()[0]?.title).toBe('The team refused to register one: NameConflict');
    problems.link({ kind: 'registered', agent: 'one' });
    expect(problems.center.list()[0]?.resolvedAt).not.toBeNull();
    problems.link({ kind: 'refused', agent: 'one', wire: 'one', error: { name: 'NameConflict', message: 'held' } });
    problems.agents({ upserts: [agent('one', { state: 'stopped', pid: null, restarts: 0, lastExit: null })], removals: [] });
    expect(problems.center.list()[0]?.resolvedAt).not.toBeNull();
  });
});

describe('the outbox', () => {
  it('raises at the threshold, naming the biggest queue, and resolves at half of it', () => {
    const { problems, outbox } = setup();
    outbox.n = 9;
    problems.checkOutbox();
    expect(problems.center.list()).toEqual([]);
    outbox.n = 10;
    problems.checkOutbox();
    outbox.n = 12;
    problems.checkOutbox();
    expect(problems.center.list()).toMatchObject([{ id: 'outbox.growing', severity: 'warning', count: 1, title: '10 messages wait to leave' }]);
    expect(problems.center.list()[0]?.reason).toMatch(/for demo\/review/);
    outbox.n = 6;
    problems.checkOutbox();
    expect(problems.center.list()[0]?.resolvedAt).toBeNull();
    outbox.n = 5;
    problems.checkOutbox();
    expect(problems.center.list()[0]?.resolvedAt).not.toBeNull();
  });
});

describe('routing', () => {
  it('says a spawn the team refused, and one that failed here, with advice for each', () => {
    const { problems } = setup();
    const refused = Object.assign(new Error('the coordinator refused the spawn: the limit is 2'), { name: 'QuotaExceeded' });
    problems.routing({ kind: 'spawn-failed', repo: 'demo', by: 'ws', type: 'worker', error: refused, atTeam: true });
    const unknown = Object.assign(new Error('no manifest for "worker"'), { name: 'UnknownAgentType' });
    problems.routing({ kind: 'spawn-failed', repo: 'demo', by: 'ws', type: 'worker', error: unknown, atTeam: false });
    const [local, team] = problems.center.list();
    expect(team).toMatchObject({ source: 'coordinator', title: 'The team refused to spawn a worker for ws: QuotaExceeded' });
    expect(local).toMatchObject({ source: 'router', title: 'ws could not spawn a worker: UnknownAgentType' });
    expect(local?.advice).toMatch(/No manifest/);
  });
});

describe('router errors', () => {
  it('fold repeats, and count as cleared once they stopped for a minute', () => {
    const { clock, problems } = setup();
    problems.routing({ kind: 'error', error: new Error('inboxes of demo/alice.*: stream not found') });
    clock.advance(30_000);
    problems.routing({ kind: 'error', error: new Error('inboxes of demo/alice.*: stream not found') });
    clock.advance(59_999);
    expect(problems.center.list()).toMatchObject([{ id: 'router.error', count: 2, resolvedAt: null, severity: 'warning' }]);
    clock.advance(1);
    expect(problems.center.list()[0]?.resolvedAt).toBe(90_000);
  });

  it('say a trace that could not be recorded, each kind clearing on its own', () => {
    const { clock, problems } = setup();
    problems.routing({ kind: 'error', error: new Error('consumer failed') });
    clock.advance(30_000);
    problems.routing({ kind: 'traces', error: new Error('SQLITE_FULL: database or disk is full') });
    expect(problems.center.list()[0]).toMatchObject({ id: 'router.traces', title: 'A trace could not be recorded', reason: 'SQLITE_FULL: database or disk is full' });
    expect(problems.center.list()[0]?.advice).toMatch(/free space/);
    clock.advance(30_000);
    expect(problems.center.list().map((p) => [p.id, p.resolvedAt])).toEqual([
      ['router.traces', null],
      ['router.error', 60_000],
    ]);
    clock.advance(30_000);
    expect(problems.center.list()[0]?.resolvedAt).toBe(90_000);
  });
});

describe('thresholds', () => {
  it('come from the environment, a test’s own win, and a bad value is a ValidationError', () => {
    expect(thresholdsOf({})).toEqual({ linkDownAfterMs: 60_000, outboxAlertAt: 100 });
    expect(thresholdsOf({ SWITCHYARD_LINK_DOWN_ALERT_MS: '5000', SWITCHYARD_OUTBOX_ALERT: '20' })).toEqual({ linkDownAfterMs: 5_000, outboxAlertAt: 20 });
    expect(thresholdsOf({ SWITCHYARD_OUTBOX_ALERT: '20' }, { outboxAlertAt: 3 }).outboxAlertAt).toBe(3);
    expect(() => thresholdsOf({ SWITCHYARD_OUTBOX_ALERT: 'lots' })).toThrow(/SWITCHYARD_OUTBOX_ALERT/);
    expect(() => thresholdsOf({ SWITCHYARD_LINK_DOWN_ALERT_MS: '5' })).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });
});
