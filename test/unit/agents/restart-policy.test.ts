import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_TIMINGS, RestartPolicy, backoffDelay } from '../../../src/core/agents/restart-policy.js';

describe('backoff', () => {
  it('starts at 1 s and doubles up to 30 s', () => {
    const delays = Array.from({ length: 8 }, (_, i) => backoffDelay(i, DEFAULT_RESTART_TIMINGS));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts over after a process ran 60 s healthy', () => {
    const policy = new RestartPolicy({ ...DEFAULT_RESTART_TIMINGS, maxRestarts: 100 });
    expect(policy.onExit(0, 10)).toEqual({ action: 'restart', delayMs: 1_000 });
    expect(policy.onExit(2_000, 10)).toEqual({ action: 'restart', delayMs: 2_000 });
    expect(policy.onExit(70_000, 60_000)).toEqual({ action: 'restart', delayMs: 1_000 });
  });
});

describe('restart intensity', () => {
  it('allows 5 restarts within 5 minutes, then gives up', () => {
    const policy = new RestartPolicy();
    const decisions = Array.from({ length: 6 }, (_, i) => policy.onExit(i * 1_000, 5).action);
    expect(decisions).toEqual(['restart', 'restart', 'restart', 'restart', 'restart', 'give-up']);
  });

  it('forgets restarts older than the window', () => {
    const policy = new RestartPolicy();
    for (let i = 0; i < 5; i++) policy.onExit(i * 1_000, 5);
    expect(policy.recentRestarts(5_000)).toBe(5);
    expect(policy.onExit(4_000 + 5 * 60_000, 5).action).toBe('restart');
  });

  it('forgets everything on a manual reset', () => {
    const policy = new RestartPolicy();
    for (let i = 0; i < 5; i++) policy.onExit(i, 5);
    policy.reset();
    expect(policy.onExit(10, 5)).toEqual({ action: 'restart', delayMs: 1_000 });
  });
});
