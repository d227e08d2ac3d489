/**
 * The problem centre's bookkeeping: repeats fold into one entry with a count, a cleared
 * condition is marked resolved and raised afresh when it returns, dismissals hide until
 * then, and the list stays bounded with standing problems kept over resolved ones.
 */
import { describe, expect, it } from 'vitest';
import type { ProblemReport } from '../../../src/core/problems/index.js';
import { ProblemCenter } from '../../../src/core/problems/index.js';
import type { ProblemsChanged } from '../../../src/shared/problems.js';
import { Problem, activeCount } from '../../../src/shared/problems.js';
import { manualClock } from '../../helpers/test-clocks.js';

function report(id: string, reason = 'because'): ProblemReport {
  return { id, severity: 'error', source: 'agent', title: `title of ${id}`, reason, advice: 'do this' };
}

function setup(max?: number) {
  const clock = manualClock(1_000);
  const events: ProblemsChanged[] = [];
  const center = new ProblemCenter(clock, (change) => events.push(change), max);
  return { clock, events, center };
}

describe('ProblemCenter', () => {
  it('folds repeats into one problem with a count and the newest reason, raising it once', () => {
    const { clock, events, center } = setup();
    center.raise(report('a', 'first'));
    clock.advance(50);
    center.raise(report('a', 'second'));
    const [problem] = center.list();
    expect(center.list()).toHaveLength(1);
    expect(problem).toMatchObject({ id: 'a', count: 2, reason: 'second', firstAt: 1_000, at: 1_050, resolvedAt: null });
    expect(Problem.parse(problem)).toEqual(problem);
    // The first raise asks for a notification; the repeat only updates the list.
    expect(events.map((event) => event.raised)).toEqual([['a'], []]);
    expect(events[1]?.problems[0]?.count).toBe(2);
  });

  it('resolves when the condition clears and raises again, with a notification, when it returns', () => {
    const { clock, events, center } = setup();
    center.raise(report('link'));
    clock.advance(10);
    center.resolve('link');
    expect(center.list()[0]?.resolvedAt).toBe(1_010);
    expect(activeCount(center.list())).toBe(0);
    center.resolve('link');
    expect(events).toHaveLength(2);
    clock.advance(10);
    center.raise(report('link'));
    expect(center.list()[0]).toMatchObject({ count: 2, resolvedAt: null, firstAt: 1_020 });
    expect(events.at(-1)?.raised).toEqual(['link']);
    expect(activeCount(center.list())).toBe(1);
  });

  it('lists newest first', () => {
    const { clock, center } = setup();
    center.raise(report('old'));
    clock.advance(1);
    center.raise(report('new'));
    clock.advance(1);
    center.raise(report('old'));
    expect(center.list().map((p) => p.id)).toEqual(['old', 'new']);
  });

  it('keeps a dismissed problem hidden while it repeats, and shows it again once it returns after clearing', () => {
    const { events, center } = setup();
    center.raise(report('crash'));
    expect(center.dismiss(['crash', 'unknown'])).toBe(1);
    expect(center.list()).toEqual([]);
    expect(events.at(-1)?.problems).toEqual([]);
    const before = events.length;
    center.raise(report('crash'));
    expect(center.list()).toEqual([]);
    expect(events).toHaveLength(before);
    expect(center.holds('crash')).toBe(true);
    center.resolve('crash');
    center.raise(report('crash'));
    expect(center.list().map((p) => p.id)).toEqual(['crash']);
    expect(center.dismiss(['crash'])).toBe(1);
    expect(center.dismiss(['crash'])).toBe(0);
  });

  it('stays bounded, pushing out dismissed, then resolved, then the oldest standing problems', () => {
    const { center } = setup(3);
    center.raise(report('standing-1'));
    center.raise(report('resolved'));
    center.resolve('resolved');
    center.raise(report('dismissed'));
    center.dismiss(['dismissed']);
    center.raise(report('standing-2'));
    // Four entries for three places: the dismissed one goes.
    expect(center.list().map((p) => p.id).sort()).toEqual(['resolved', 'standing-1', 'standing-2']);
    center.raise(report('standing-3'));
    expect(center.list().map((p) => p.id).sort()).toEqual(['standing-1', 'standing-2', 'standing-3']);
    center.raise(report('standing-4'));
    expect(center.list().map((p) => p.id).sort()).toEqual(['standing-2', 'standing-3', 'standing-4']);
  });

  it('resolves every standing problem under a prefix', () => {
    const { center } = setup();
    center.raise(report('agent.crash-loop:demo/a'));
    center.raise(report('agent.crash-loop:demo/b'));
    center.raise(report('link.down'));
    center.resolveAll('agent.');
    expect(activeCount(center.list())).toBe(1);
  });
});
