/**
 * A turn's usage from Claude Code's result: `usage` is the turn's own, `total_cost_usd`
 * and `modelUsage` are the session's running totals (measured with CLI 2.1.328).
 */
import type { SDKResultMessage } from '@anthropic-ai/claude-agent-sdk';
import { describe, expect, it } from 'vitest';
import { turnUsage } from '../../../src/core/coding/claude-usage.js';

const result = (turn: { in: number; out: number; cacheRead?: number }, session: { in: number; out: number; cacheRead?: number }, totalUsd: number): SDKResultMessage =>
  ({
    type: 'result',
    subtype: 'success',
    is_error: false,
    num_turns: 1,
    result: 'ok',
    total_cost_usd: totalUsd,
    usage: { input_tokens: turn.in, output_tokens: turn.out, cache_read_input_tokens: turn.cacheRead ?? 0, cache_creation_input_tokens: 0 },
    modelUsage: { 'claude-x': { inputTokens: session.in, outputTokens: session.out, cacheReadInputTokens: session.cacheRead ?? 0, cacheCreationInputTokens: 0, webSearchRequests: 0, costUSD: totalUsd, contextWindow: 1, maxOutputTokens: 1 } },
  }) as unknown as SDKResultMessage;

describe('Claude Code turn usage', () => {
  it('a new session: the whole total is the turn\'s', () => {
    expect(turnUsage(result({ in: 1000, out: 10 }, { in: 1000, out: 10 }, 0.0042), 0)).toEqual({ inputTokens: 1000, outputTokens: 10, cachedInputTokens: 0, costUsd: 0.0042 });
  });

  it('a resumed session this driver ran before: the total minus the earlier total', () => {
    expect(turnUsage(result({ in: 2000, out: 20 }, { in: 3000, out: 30 }, 0.0126), 0.0042).costUsd).toBeCloseTo(0.0084, 8);
  });

  it('a session resumed after a restart: the turn\'s price-weighted share of the total', () => {
    expect(turnUsage(result({ in: 2000, out: 20 }, { in: 3000, out: 30 }, 0.0126), undefined).costUsd).toBeCloseTo(0.0084, 8);
  });

  it('counts cached input as input too, and apart', () => {
    expect(turnUsage(result({ in: 100, out: 5, cacheRead: 900 }, { in: 100, out: 5, cacheRead: 900 }, 0.001), 0)).toMatchObject({ inputTokens: 1000, cachedInputTokens: 900 });
  });
});
