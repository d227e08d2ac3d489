/**
 * Problems from this desktop's own parts, with a real core, real child processes and a
 * real SQLite outbox: a crash-looping agent is said aloud and resolved once it runs
 * again after a restart; messages piling up for a stopped agent are said aloud and
 * resolved once it is back and they drained.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Supervision } from '../../../src/shared/agent-protocol.js';
import type { Problem, ProblemsChanged } from '../../../src/shared/problems.js';
import type { TestCore } from '../agents/helpers.js';
import { startCore } from '../agents/helpers.js';
import { eventually } from '../../helpers/eventually.js';
import { fileURLToPath } from 'node:url';

const FLAKY = fileURLToPath(new URL('./fixtures/flaky.mjs', import.meta.url));

async function list(t: TestCore): Promise<Problem[]> {
  const result = await t.core.call('problems.list', undefined);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as Problem[];
}

const supervisionOf = (t: TestCore, name: string) =>
  (t.core.registry.get({ repo: 'default', name })?.metadata.supervision as Supervision | undefined)?.state;

const find = async (t: TestCore, id: string) => (await list(t)).find((problem) => problem.id === id);

describe('problems of local agents', () => {
  let t: TestCore;
  afterEach(async () => t?.close());

  it('says a crash loop aloud, with the reason and what to do, and resolves it when the agent runs after a restart', async () => {
    t = await startCore({ gateway: false });
    const marker = join(t.dataDir, 'crash');
    writeFileSync(marker, 'crash');
    t.manifest({ type: 'flaky', command: 'node', args: [FLAKY, marker] });
    const events: ProblemsChanged[] = [];
    t.core.on('problems.changed', (change) => events.push(change));

    await t.core.localAgents.start('flaky');
    const problem = await eventually(() => find(t, 'agent.crash-loop:default/flaky'), 15_000, 'the crash loop said aloud');
    expect(problem).toMatchObject({ severity: 'error', source: 'agent', title: 'flaky keeps crashing and was not restarted', resolvedAt: null, count: 1 });
    expect(problem.reason).toMatch(/exit|restart/);
    expect(problem.advice).toMatch(/Logs/);
    // The serious kind: the event names it as raised, which is what OS notifications follow.
    expect(events.some((event) => event.raised.includes(problem.id))).toBe(true);

    rmSync(marker);
    const restarted = await t.core.call('agents.restart', { name: 'flaky' });
    expect(restarted.ok).toBe(true);
    const resolved = await eventually(async () => {
      const now = await find(t, problem.id);
      return now?.resolvedAt !== null && now;
    }, 15_000, 'the crash loop resolved');
    expect(resolved.count).toBe(1);
    expect(supervisionOf(t, 'flaky')).toBe('running');
  });

  it('says the outbox is growing past its threshold and resolves it once the messages left', async () => {
    t = await startCore({ gateway: false }, { problems: { outboxAlertAt: 4 } });
    t.manifest({ type: 'flaky', command: 'node', args: [FLAKY] });
    await t.core.localAgents.start('flaky');
    await eventually(() => supervisionOf(t, 'flaky') === 'running', 10_000, 'flaky running');
    await t.core.call('agents.stop', { name: 'flaky' });
    await eventually(() => t.core.registry.get({ repo: 'default', name: 'flaky' })?.status === 'terminated', 10_000, 'flaky stopped');

    const send = async (n: number) => {
      const result = await t.core.call('messages.send', { to: 'flaky', kind: 'text', body: { n } });
      if (!result.ok) throw new Error(result.error.message);
      return result.value as { status: string };
    };
    for (let n = 0; n < 3; n++) expect((await send(n)).status).toBe('queued');
    expect(await find(t, 'outbox.growing')).toBeUndefined();
    await send(3);
    const problem = await eventually(() => find(t, 'outbox.growing'), 10_000, 'the outbox said aloud');
    expect(problem).toMatchObject({ severity: 'warning', source: 'outbox', title: '4 messages wait to leave', resolvedAt: null });
    expect(problem.reason).toMatch(/the most \(4\) are for default\/flaky/);

    // The agent is back: the outbox drains to it and the problem clears.
    await t.core.call('agents.restart', { name: 'flaky' });
    const resolved = await eventually(async () => {
      const now = await find(t, 'outbox.growing');
      return now?.resolvedAt !== null && now;
    }, 15_000, 'the outbox problem resolved');
    expect(resolved.count).toBe(1);
    expect(t.core.routing.router.outbox.size()).toBe(0);
  });
});
