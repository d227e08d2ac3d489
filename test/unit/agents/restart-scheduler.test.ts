import { describe, expect, it } from 'vitest';
import type { LastExit } from '../../../src/shared/agent-protocol.js';
import { HeartbeatWatch } from '../../../src/core/agents/heartbeat-watch.js';
import { DEFAULT_RESTART_TIMINGS } from '../../../src/core/agents/restart-policy.js';
import { RestartScheduler, exitRecord } from '../../../src/core/agents/restart-scheduler.js';
import { escalateStop } from '../../../src/core/agents/stop-escalation.js';
import { manualClock } from '../../helpers/test-clocks.js';

const crash = (at: number): LastExit => exitRecord(3, null, at);

describe('restart scheduling on an injected clock', () => {
  it('relaunches after the backoff has passed, not a moment before, doubling each time', () => {
    const clock = manualClock(1_000);
    const restarts = new RestartScheduler(clock, DEFAULT_RESTART_TIMINGS);
    let launches = 0;
    const relaunch = (): void => void (launches += 1);

    expect(restarts.afterExit(crash(clock.now()), 10, relaunch)).toEqual({ action: 'restart', delayMs: 1_000 });
    expect(restarts.nextRestartAt).toBe(2_000);
    clock.advance(999);
    expect(launches).toBe(0);
    clock.advance(1);
    expect(launches).toBe(1);
    restarts.markNotDue();
    expect(restarts.nextRestartAt).toBeNull();

    expect(restarts.afterExit(crash(clock.now()), 10, relaunch)).toEqual({ action: 'restart', delayMs: 2_000 });
    clock.advance(1_999);
    expect(launches).toBe(1);
    clock.advance(1);
    expect([launches, restarts.restarts]).toEqual([2, 2]);
  });

  it('gives up after 5 restarts within the window and leaves nothing scheduled', () => {
    const clock = manualClock();
    const restarts = new RestartScheduler(clock, DEFAULT_RESTART_TIMINGS);
    let launches = 0;
    for (let i = 0; i < 5; i++) {
      expect(restarts.afterExit(crash(clock.now()), 10, () => void (launches += 1)).action).toBe('restart');
      clock.advance(30_000);
    }
    const plan = restarts.afterExit(crash(clock.now()), 10, () => void (launches += 1));
    expect(plan).toEqual({ action: 'give-up', detail: '5 restarts within 300 s; last: exit code 3' });
    expect(clock.pending()).toBe(0);
    clock.advance(10 * 60_000);
    expect([launches, restarts.restarts]).toEqual([5, 5]);
  });

  it('cancels a pending restart (a stop during backoff), and reset() forgets the history', () => {
    const clock = manualClock();
    const restarts = new RestartScheduler(clock, DEFAULT_RESTART_TIMINGS);
    let launches = 0;
    restarts.afterExit(crash(0), 10, () => void (launches += 1));
    restarts.cancel();
    expect([clock.pending(), restarts.nextRestartAt]).toEqual([0, null]);
    clock.advance(60_000);
    expect(launches).toBe(0);
    restarts.reset();
    expect(restarts.restarts).toBe(0);
    expect(restarts.afterExit(crash(clock.now()), 10, () => undefined)).toEqual({ action: 'restart', delayMs: 1_000 });
  });

  it('names an exit by the supervisor\'s cause first, then the signal, then the code', () => {
    expect(exitRecord(0, null, 5, 'stopped')).toEqual({ code: 0, signal: null, reason: 'stopped', at: 5, detail: 'exit code 0' });
    expect(exitRecord(null, 'SIGKILL', 5, 'unresponsive')).toMatchObject({ reason: 'unresponsive', detail: 'killed by SIGKILL' });
    expect(exitRecord(null, 'SIGSEGV', 5)).toMatchObject({ reason: 'signal' });
    expect(exitRecord(1, null, 5)).toMatchObject({ reason: 'exited', detail: 'exit code 1' });
  });
});

describe('heartbeat watch', () => {
  it('declares an agent unresponsive once it is silent past intervalMs × failureThreshold, once', () => {
    const watch = new HeartbeatWatch();
    const check = { intervalMs: 100, failureThreshold: 3 };
    watch.reset(0);
    expect(watch.overdue(300, check)).toBeUndefined();
    expect(watch.overdue(301, check)).toBe('no heartbeat for 301 ms (limit 300 ms): unreachable');
    expect(watch.unresponsive).toBe(true);
    expect(watch.overdue(900, check)).toBeUndefined();
    expect(watch.heard(950)).toBe(true);
    expect(watch.overdue(1_250, check)).toBeUndefined();
    expect(watch.heard(1_260)).toBe(false);
  });
});

describe('stop escalation on an injected clock', () => {
  const run = (exitAfterSignal?: NodeJS.Signals) => {
    const clock = manualClock();
    const signals: NodeJS.Signals[] = [];
    let exit!: () => void;
    const exited = new Promise<void>((resolve) => (exit = resolve));
    const done = escalateStop({
      clock,
      exited,
      graceMs: 200,
      killAfterMs: 300,
      signal: (signal) => {
        signals.push(signal);
        if (signal === exitAfterSignal) exit();
      },
      note: () => undefined,
    });
    return { clock, signals, exit, done };
  };

  it('sends nothing to an agent that exits within the grace', async () => {
    const { clock, signals, exit, done } = run();
    clock.advance(199);
    exit();
    await done;
    expect(signals).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it('sends SIGTERM after the grace and SIGKILL after the bound, in that order', async () => {
    const { clock, signals, done } = run('SIGKILL');
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    clock.advance(200);
    await settle();
    expect(signals).toEqual(['SIGTERM']);
    clock.advance(299);
    await settle();
    expect(signals).toEqual(['SIGTERM']);
    clock.advance(1);
    await done;
    expect(signals).toEqual(['SIGTERM', 'SIGKILL']);
  });
});
