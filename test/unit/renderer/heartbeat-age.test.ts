import { describe, expect, it } from 'vitest';
import { formatHeartbeatAge, heartbeatFreshness } from '../../../src/renderer/src/agents/heartbeat-age.js';

const NOW = 1_700_000_000_000;

describe('formatHeartbeatAge', () => {
  it.each([
    [0, 'now'],
    [999, 'now'],
    [1_000, '1s'],
    [59_999, '59s'],
    [60_000, '1m 00s'],
    [65_000, '1m 05s'],
    [59 * 60_000 + 59_000, '59m 59s'],
    [3_600_000, '1h 0m'],
    [3_600_000 * 2 + 10 * 60_000, '2h 10m'],
    [86_400_000 * 3 + 3_600_000 * 4, '3d 4h'],
  ])('%i ms ago → %s', (ago, text) => {
    expect(formatHeartbeatAge(NOW - ago, NOW)).toBe(text);
  });

  it('says "never" when there was no heartbeat', () => {
    expect(formatHeartbeatAge(0, NOW)).toBe('never');
  });

  it('says "now" when the heartbeat is ahead of the local clock', () => {
    expect(formatHeartbeatAge(NOW + 5_000, NOW)).toBe('now');
  });
});

describe('heartbeatFreshness', () => {
  it.each([
    [1_000, 'fresh'],
    [29_999, 'fresh'],
    [30_000, 'stale'],
    [119_999, 'stale'],
    [120_000, 'old'],
  ] as const)('%i ms ago → %s', (ago, freshness) => {
    expect(heartbeatFreshness(NOW - ago, NOW)).toBe(freshness);
  });
});
