import { describe, expect, it } from 'vitest';
import { assertBelowMax, cooldownLeft, rulesToFire } from '../../../src/core/tasks/spawn-rules.js';
import type { SpawnRule } from '../../../src/shared/work-model.js';
import { SpawnLimitError } from '../../../src/shared/errors.js';

const rule = (patch: Partial<SpawnRule> = {}): SpawnRule => ({ type: 'worker', whenQueuedAbove: 2, max: 3, cooldownMs: 1_000, ...patch });
const counts = (queued: number, running: number) => ({ queued: () => queued, running: () => running });

describe('spawn rules', () => {
  it('fire exactly when more than N are queued, fewer than M run, and the cooldown is over', () => {
    const none = new Map<string, number>();
    for (let queued = 0; queued <= 5; queued++) {
      for (let running = 0; running <= 4; running++) {
        const fires = rulesToFire([rule()], counts(queued, running), none, 10_000).length === 1;
        expect(fires, `queued ${queued}, running ${running}`).toBe(queued > 2 && running < 3);
      }
    }
    const fired = new Map([['worker', 9_500]]);
    expect(rulesToFire([rule()], counts(5, 0), fired, 10_000)).toEqual([]);
    expect(rulesToFire([rule()], counts(5, 0), fired, 10_500)).toHaveLength(1);
    expect(cooldownLeft([rule()], counts(5, 0), fired, 10_000)).toBe(500);
    // Nothing to wait for when the condition does not hold anyway.
    expect(cooldownLeft([rule()], counts(1, 0), fired, 10_000)).toBeUndefined();
    expect(cooldownLeft([rule()], counts(5, 3), fired, 10_000)).toBeUndefined();
  });

  it('read each type\'s first rule only, and each type on its own', () => {
    const rules = [rule(), rule({ whenQueuedAbove: 0 }), rule({ type: 'reviewer', whenQueuedAbove: 0, max: 1 })];
    const byType = { queued: (type: string) => (type === 'worker' ? 1 : 4), running: () => 0 };
    expect(rulesToFire(rules, byType, new Map(), 0).map((r) => r.type)).toEqual(['reviewer']);
  });

  it('refuse an explicit spawn at the max with SpawnLimitError, and leave unruled types alone', () => {
    expect(() => assertBelowMax([rule()], 'worker', 2)).not.toThrow();
    expect(() => assertBelowMax([rule()], 'worker', 3)).toThrow(SpawnLimitError);
    expect(() => assertBelowMax([rule()], 'worker', 3)).toThrow(/at most 3 agents of type "worker"/);
    expect(() => assertBelowMax([rule()], 'echo', 100)).not.toThrow();
  });
});
