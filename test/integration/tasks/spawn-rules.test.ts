/**
 * The desktop's spawn rules over real local agents: a rule fires exactly when more tasks
 * are queued for its type than it allows, stops at its max, traces each spawn, and an
 * explicit spawn past the max is refused with SpawnLimitError.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestCore } from '../agents/helpers.js';
import { startCore } from '../agents/helpers.js';
import { eventually } from '../../helpers/eventually.js';

const COMMAND = fileURLToPath(new URL('../../../resources/agents/command.mjs', import.meta.url));

describe('spawn rules on a desktop', () => {
  let t: TestCore;
  afterEach(async () => t?.close());

  it('spawns one agent per firing while more than N tasks wait for the type, and never more than M', async () => {
    t = await startCore({ gateway: false });
    // An agent that takes one task and never finishes it: each instance holds one task for good.
    t.manifest({ type: 'mute', command: 'node', args: [COMMAND], maxConcurrentTasks: 1, config: { command: 'node', args: ['-e', 'setInterval(() => {}, 1000)'] } });
    const running = () => t.core.registry.discover({ type: 'mute', location: 'local', status: ['active', 'idle', 'busy'] });
    expect(await t.core.call('spawnRules.get', undefined)).toEqual({ ok: true, value: [] });
    const rules = [{ type: 'mute', whenQueuedAbove: 1, max: 2, cooldownMs: 0 }];
    expect(await t.core.call('spawnRules.set', rules)).toEqual({ ok: true, value: rules });
    expect(await t.core.call('spawnRules.set', [{ type: 'mute', whenQueuedAbove: -1, max: 0 }])).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
    expect(await t.core.call('spawnRules.get', undefined)).toEqual({ ok: true, value: rules });

    // One queued task is not more than one: nothing starts.
    const first = await t.core.call('tasks.create', { title: 'one', body: 'x', to: 'type:mute' });
    expect(first, JSON.stringify(first)).toMatchObject({ ok: true, value: { phase: 'init', assignedTo: null } });
    expect(await t.core.tasks.spawnController.evaluate()).toEqual([]);
    expect(running()).toEqual([]);

    // A second one is: the rule fires, and keeps firing up to its max while tasks wait.
    for (const title of ['two', 'three', 'four']) expect(await t.core.call('tasks.create', { title, body: 'x', to: 'type:mute' })).toMatchObject({ ok: true });
    await eventually(() => running().length === 2);
    expect(await t.core.tasks.spawnController.evaluate()).toEqual([]);
    expect(running()).toHaveLength(2);

    // Each spawn is a trace with its `spawned` hop, saying which rule and why.
    const spawned = t.core.routing.traces.query({ status: 'spawned' }).items;
    expect(spawned.map((s) => s.to).sort()).toEqual(running().map((a) => a.name).sort());
    const detail = t.core.routing.traces.get(spawned[0]!.messageId)!;
    expect(detail.hops).toEqual([expect.objectContaining({ where: 'router', event: 'spawned', detail: expect.stringMatching(/rule for "mute": \d+ queued > 1, started .* \(at most 2\)/) })]);

    // An explicit spawn of the type at its max is refused, and starts nothing.
    expect(await t.core.call('agents.spawn', { type: 'mute', task: 'one more' })).toMatchObject({ ok: false, error: { name: 'SpawnLimitError' } });
    expect(running()).toHaveLength(2);
  });
});
