import { afterEach, describe, expect, it } from 'vitest';
import type { UsageChanged, UsageSummary } from '../../../src/shared/coding-contract.js';
import type { TestCore } from '../agents/helpers.js';
import { GatewayClient, gatewayToken, startCore } from '../agents/helpers.js';
import { eventually } from '../../helpers/eventually.js';
import { call, installAsker, record } from './participant-harness.js';

const USAGE = { inputTokens: 1200, outputTokens: 300, cachedInputTokens: 1000, costUsd: 0.0125 };

describe('usage of finished tasks', () => {
  let t: TestCore | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('counts a task.completed with usage once, sums it per agent, repo and day, and announces the new totals', async () => {
    t = await startCore({ gateway: false });
    installAsker(t.core);
    await t.core.localAgents.start('asker');
    const changes = record(t.core, 'usage.changed');
    const before = Date.now();
    await call(t.core, 'messages.send', { to: 'asker', body: { finish: { taskId: 'task-1', usage: USAGE, durationMs: 4200 } } });
    const first = await eventually(() => changes[0], 10_000, 'usage.changed');
    const totals1 = { tasks: 1, failedTasks: 0, inputTokens: 1200, outputTokens: 300, cachedInputTokens: 1000, costUsd: 0.0125, durationMs: 4200 };
    expect(first).toEqual<UsageChanged>({ agent: 'asker', repo: 'default', totals: totals1 });

    await call(t.core, 'messages.send', { to: 'asker', body: { fail: { taskId: 'task-2', reason: 'rate-limited', usage: { inputTokens: 10, outputTokens: 0, costUsd: null } } } });
    await call(t.core, 'messages.send', { to: 'asker', body: { finish: { taskId: 'task-3', usage: { ...USAGE, costUsd: null }, durationMs: 800 } } });
    await eventually(() => changes.length === 3, 10_000, 'three counts');
    expect(changes[2]!.totals).toEqual({ tasks: 3, failedTasks: 1, inputTokens: 2410, outputTokens: 600, cachedInputTokens: 2000, costUsd: 0.0125, durationMs: 5000 });

    const summary = await call<UsageSummary>(t.core, 'usage.summary', {});
    expect(summary.totals).toEqual(changes[2]!.totals);
    expect(summary.byAgent).toEqual([{ agent: 'asker', repo: 'default', ...changes[2]!.totals }]);
    expect(summary.byRepo).toEqual([{ repo: 'default', ...changes[2]!.totals }]);
    expect(summary.byDay.map((d) => d.day)).toContain(new Date(before).toISOString().slice(0, 10));
    expect(summary.recent.map((r) => [r.taskId, r.ok, r.costUsd])).toEqual([
      ['task-3', true, null],
      ['task-2', false, null],
      ['task-1', true, 0.0125],
    ]);
    // Filters: another agent, a later start.
    expect((await call<UsageSummary>(t.core, 'usage.summary', { agent: 'echo' })).totals.tasks).toBe(0);
    expect((await call<UsageSummary>(t.core, 'usage.summary', { since: Date.now() + 60_000 })).recent).toEqual([]);
    expect((await call<UsageSummary>(t.core, 'usage.summary', { repo: 'default', agent: 'asker' })).totals.tasks).toBe(3);
  });

  it('counts what a gateway agent reports, and counts nothing twice or from a body that does not parse', async () => {
    t = await startCore();
    const changes = record(t.core, 'usage.changed');
    const client = await GatewayClient.connect(t.core.localAgents.gateway!.url, { token: gatewayToken(t.dataDir) });
    client.send({ type: 'hello', protocol: 1, name: 'coder', instanceId: 'coder-1' });
    await client.next('welcome');
    const body = { taskId: 'task-9', inReplyTo: 'x', text: 'ok', changedFiles: [], branch: null, worktree: null, usage: USAGE, durationMs: 10, turns: 1, sessionId: 's' };
    // Not a TaskCompletedBody: counted nowhere, kept nowhere.
    client.send({ type: 'send', to: 'user', kind: 'task.completed', body: { taskId: 'task-8' }, id: 'msg-bad00001' });
    client.send({ type: 'send', to: 'user', kind: 'task.completed', body, id: 'msg-good0001' });
    // The same message again (a retry): still one task.
    client.send({ type: 'send', to: 'user', kind: 'task.completed', body, id: 'msg-good0001' });
    await eventually(() => changes.length === 1, 10_000, 'one count');
    await eventually(async () => (await call<unknown[]>(t!.core, 'conversation.get', { peer: 'coder' })).length === 2, 10_000, 'both messages in the conversation');
    const summary = await call<UsageSummary>(t.core, 'usage.summary');
    expect(summary.totals).toMatchObject({ tasks: 1, inputTokens: 1200, costUsd: 0.0125 });
    expect(changes).toHaveLength(1);
    await client.close();
  });
});
