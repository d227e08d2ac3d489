/**
 * A turn's tokens and cost from Claude Code's result message.
 *
 * Measured with CLI 2.1.328: `usage` counts this query() call only, but
 * `total_cost_usd` (and `modelUsage`) of a resumed session carry the earlier turns'
 * totals. So a turn's cost is the new total minus the total the session had before:
 * exact when this driver ran the session's previous turn (it remembers the total), and
 * otherwise (a session resumed after a restart) the total's share that this turn's
 * tokens make of the session's, weighted as Anthropic prices them (output 5×, cache
 * read 0.1×, cache write 1.25× input; the same ratios on every Claude model).
 */
import type { ModelUsage, SDKResultMessage } from '@anthropic-ai/claude-agent-sdk';
import type { Usage } from '../../shared/coding.js';

interface Tokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

const weight = (t: Tokens): number => t.input + 5 * t.output + 0.1 * t.cacheRead + 1.25 * t.cacheWrite;

function sessionTokens(modelUsage: Record<string, ModelUsage>): Tokens {
  const total: Tokens = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  for (const model of Object.values(modelUsage)) {
    total.input += model.inputTokens;
    total.output += model.outputTokens;
    total.cacheRead += model.cacheReadInputTokens;
    total.cacheWrite += model.cacheCreationInputTokens;
  }
  return total;
}

const round = (usd: number): number => Math.max(0, Math.round(usd * 1e8) / 1e8);

/**
 * The turn's Usage. `previousTotalUsd` is the session's `total_cost_usd` after its last
 * turn when known (0 for a new session). `inputTokens` counts every input token, cached
 * ones included, and `cachedInputTokens` those read from the cache, as Codex counts them.
 */
export function turnUsage(result: SDKResultMessage, previousTotalUsd: number | undefined): Usage {
  const u = result.usage;
  const turn: Tokens = { input: u.input_tokens, output: u.output_tokens, cacheRead: u.cache_read_input_tokens, cacheWrite: u.cache_creation_input_tokens };
  let costUsd: number;
  if (previousTotalUsd !== undefined) {
    costUsd = result.total_cost_usd - previousTotalUsd;
  } else {
    const session = weight(sessionTokens(result.modelUsage));
    costUsd = session > 0 ? result.total_cost_usd * Math.min(1, weight(turn) / session) : result.total_cost_usd;
  }
  return {
    inputTokens: turn.input + turn.cacheRead + turn.cacheWrite,
    outputTokens: turn.output,
    cachedInputTokens: turn.cacheRead,
    costUsd: round(costUsd),
  };
}
