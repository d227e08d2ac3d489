import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../../src/core/tasks/phase-machine.js';
import { advance, isForward } from '../../../src/core/tasks/phase-machine.js';
import type { TaskPhase, TaskRecord } from '../../../src/shared/tasks.js';
import { TaskPhase as PhaseSchema, TaskRecord as TaskRecordSchema } from '../../../src/shared/tasks.js';

const PHASES = PhaseSchema.options;

function task(phase: TaskPhase, patch: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id: 't-1',
    repo: 'team',
    title: 'a task',
    body: 'do it',
    constraints: {},
    timeoutMs: 1_000,
    requestedBy: 'user',
    target: 'worker-1',
    assignedTo: phase === 'init' ? null : 'worker-1',
    phase,
    parentId: null,
    result: null,
    error: null,
    cost: { inputTokens: 0, outputTokens: 0, costUsd: null },
    createdAt: 10,
    updatedAt: 10,
    history: [{ phase: 'init', at: 10, by: 'user' }],
    messageIds: [],
    ...patch,
  };
}

const usage = { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, costUsd: 0.25 };
/** Every kind of event, from the assignee (or the validator for the decision). */
const EVENTS: Record<TaskEvent['type'], TaskEvent> = {
  dispatched: { type: 'dispatched', to: 'worker-2' },
  assigned: { type: 'assigned', by: 'worker-1' },
  started: { type: 'started', by: 'worker-1' },
  progress: { type: 'progress', by: 'worker-1' },
  completed: { type: 'completed', by: 'worker-1', result: { text: 'done' }, usage },
  failed: { type: 'failed', by: 'worker-1', error: { name: 'TaskFailed', message: 'broke' }, usage },
  decision: { type: 'decision', by: 'judge', approved: true, reason: '' },
  cancelled: { type: 'cancelled', by: 'user' },
  timeout: { type: 'timeout' },
};

/**
 * The whole table: the phase each event leads to from each phase (undefined: no change).
 * The task has a validator (judge) so validating is reachable.
 */
const TABLE: Record<TaskPhase, Record<TaskEvent['type'], TaskPhase | undefined>> = {
  init: { dispatched: 'init', assigned: 'planning', started: undefined, progress: undefined, completed: undefined, failed: undefined, decision: undefined, cancelled: 'failed', timeout: 'failed' },
  planning: { dispatched: undefined, assigned: undefined, started: 'executing', progress: 'executing', completed: 'validating', failed: 'failed', decision: undefined, cancelled: 'failed', timeout: 'failed' },
  executing: { dispatched: undefined, assigned: undefined, started: undefined, progress: undefined, completed: 'validating', failed: 'failed', decision: undefined, cancelled: 'failed', timeout: 'failed' },
  validating: { dispatched: undefined, assigned: undefined, started: undefined, progress: undefined, completed: undefined, failed: 'failed', decision: 'complete', cancelled: 'failed', timeout: 'failed' },
  complete: { dispatched: undefined, assigned: undefined, started: undefined, progress: undefined, completed: undefined, failed: undefined, decision: undefined, cancelled: undefined, timeout: undefined },
  failed: { dispatched: undefined, assigned: undefined, started: undefined, progress: undefined, completed: undefined, failed: undefined, decision: undefined, cancelled: undefined, timeout: undefined },
};

describe('the task phase machine', () => {
  for (const phase of PHASES) {
    for (const [type, event] of Object.entries(EVENTS) as Array<[TaskEvent['type'], TaskEvent]>) {
      const expected = TABLE[phase][type];
      it(`${phase} + ${type} → ${expected ?? 'no change'}`, () => {
        const before = task(phase, { constraints: { validateBy: 'judge' } });
        const frozen = structuredClone(before);
        const after = advance(before, event, 50);
        expect(before).toEqual(frozen);
        if (expected === undefined) {
          expect(after).toBeUndefined();
          return;
        }
        expect(after?.phase).toBe(expected);
        // Every record it returns is a valid record.
        expect(TaskRecordSchema.safeParse(after).success).toBe(true);
        if (expected !== phase) expect(after?.history.at(-1)).toMatchObject({ phase: expected, at: 50 });
        expect(after?.updatedAt).toBe(50);
      });
    }
  }

  it('completes without a validator, and keeps the result and the usage as cost', () => {
    const done = advance(task('executing'), EVENTS.completed, 60)!;
    expect(done).toMatchObject({ phase: 'complete', result: { text: 'done' }, cost: { inputTokens: 10, outputTokens: 5, costUsd: 0.25 } });
    const failed = advance(task('executing', { cost: { inputTokens: 1, outputTokens: 1, costUsd: null } }), EVENTS.failed, 60)!;
    expect(failed).toMatchObject({ phase: 'failed', error: { name: 'TaskFailed', message: 'broke' }, cost: { inputTokens: 11, outputTokens: 6, costUsd: 0.25 } });
    // No money reported anywhere stays unknown, not zero.
    const codex = advance(task('executing'), { ...EVENTS.completed, usage: { ...usage, costUsd: null } } as TaskEvent, 60)!;
    expect(codex.cost.costUsd).toBeNull();
  });

  it('moves only on its assignee\'s messages and its validator\'s decisions', () => {
    expect(advance(task('planning'), { type: 'started', by: 'intruder' }, 60)).toBeUndefined();
    expect(advance(task('executing'), { type: 'completed', by: 'intruder', result: null }, 60)).toBeUndefined();
    expect(advance(task('executing'), { type: 'failed', by: 'intruder', error: { name: 'x', message: 'y' } }, 60)).toBeUndefined();
    const validating = task('validating', { constraints: { validateBy: 'judge' } });
    expect(advance(validating, { type: 'decision', by: 'worker-1', approved: true, reason: '' }, 60)).toBeUndefined();
    // A role validator: whichever instance the role chose decides.
    expect(advance(task('validating', { constraints: { validateBy: 'type:reviewer' } }), { type: 'decision', by: 'reviewer-3', approved: true, reason: '' }, 60)?.phase).toBe('complete');
    // A task assigned to one instance is not taken by another's delivery.
    expect(advance(task('init', { assignedTo: 'worker-1' }), { type: 'assigned', by: 'worker-2' }, 60)).toBeUndefined();
  });

  it('records who moved it, and why it failed', () => {
    const assigned = advance(task('init'), EVENTS.assigned, 20)!;
    expect(assigned).toMatchObject({ assignedTo: 'worker-1', history: [{ phase: 'init' }, { phase: 'planning', by: 'worker-1', at: 20 }] });
    const validating = task('validating', { constraints: { validateBy: 'judge' } });
    expect(advance(validating, { type: 'decision', by: 'judge', approved: false, reason: 'tests fail' }, 70)).toMatchObject({
      phase: 'failed',
      error: { name: 'Rejected', message: 'tests fail' },
      history: [{ phase: 'init' }, { phase: 'failed', by: 'judge' }],
    });
    expect(advance(task('executing'), EVENTS.timeout, 1_010)).toMatchObject({ error: { name: 'TimeoutError' }, history: [{}, { phase: 'failed', by: 'timeout' }] });
    expect(advance(task('planning'), EVENTS.cancelled, 30)).toMatchObject({ error: { name: 'Cancelled', message: 'cancelled by user' } });
  });

  it('keeps at most 64 history entries, the newest', () => {
    const long = task('planning', { history: Array.from({ length: 64 }, (_, i) => ({ phase: 'planning' as const, at: i, by: 'x' })) });
    const next = advance(long, EVENTS.started, 99)!;
    expect(next.history).toHaveLength(64);
    expect(next.history.at(-1)).toMatchObject({ phase: 'executing', at: 99 });
  });

  it('only ever moves forward, with failed reachable from any phase not final', () => {
    for (const from of PHASES) {
      for (const to of PHASES) {
        const final = from === 'complete' || from === 'failed';
        const order = ['init', 'planning', 'executing', 'validating', 'complete'];
        const expected = !final && (to === 'failed' || order.indexOf(to) > order.indexOf(from));
        expect(isForward(from, to), `${from} → ${to}`).toBe(expected);
      }
    }
  });
});
