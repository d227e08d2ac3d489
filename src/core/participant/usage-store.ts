/**
 * Usage in SQLite: one row per finished task message, counted once, and the summaries
 * the agent's panel and the Agents column read.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { UsageSummary, UsageTotals } from '../../shared/coding-contract.js';
import type { TaskUsageRecord } from './message-bodies.js';
import { summarise } from './usage-summary.js';

interface Row {
  agent: string;
  repo: string;
  task_id: string;
  message_id: string;
  at: number;
  ok: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cost_usd: number | null;
  duration_ms: number;
}

export interface UsageFilter {
  agent?: string;
  repo?: string;
  since?: number;
}

export class UsageStore {
  private readonly insert: Statement<Row>;
  private readonly totalsOf: Statement<{ agent: string; repo: string }, UsageTotals>;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO task_usage
         (agent, repo, task_id, message_id, at, ok, input_tokens, output_tokens, cached_input_tokens, cost_usd, duration_ms)
       VALUES (@agent, @repo, @task_id, @message_id, @at, @ok, @input_tokens, @output_tokens, @cached_input_tokens, @cost_usd, @duration_ms)`,
    );
    this.totalsOf = db.prepare(
      `SELECT COUNT(*) AS tasks, COALESCE(SUM(1 - ok), 0) AS failedTasks,
         COALESCE(SUM(input_tokens), 0) AS inputTokens, COALESCE(SUM(output_tokens), 0) AS outputTokens,
         COALESCE(SUM(cached_input_tokens), 0) AS cachedInputTokens, COALESCE(SUM(cost_usd), 0.0) AS costUsd,
         COALESCE(SUM(duration_ms), 0) AS durationMs
       FROM task_usage WHERE agent = @agent AND repo = @repo`,
    );
  }

  /** Counts a finished task; false when this message of this task was counted already. */
  count(task: TaskUsageRecord): boolean {
    return (
      this.insert.run({
        agent: task.agent,
        repo: task.repo,
        task_id: task.taskId,
        message_id: task.messageId,
        at: task.at,
        ok: task.ok ? 1 : 0,
        input_tokens: task.inputTokens,
        output_tokens: task.outputTokens,
        cached_input_tokens: task.cachedInputTokens,
        cost_usd: task.costUsd,
        duration_ms: task.durationMs,
      }).changes === 1
    );
  }

  /** One agent's totals in one repo. */
  totals(agent: string, repo: string): UsageTotals {
    return this.totalsOf.get({ agent, repo })!;
  }

  summary(filter: UsageFilter): UsageSummary {
    const params: Record<string, string | number> = {};
    const where: string[] = [];
    const clauses = { agent: 'agent = @agent', repo: 'repo = @repo', since: 'at >= @since' } as const;
    for (const key of ['agent', 'repo', 'since'] as const) {
      const value = filter[key];
      if (value === undefined) continue;
      params[key] = value;
      where.push(clauses[key]);
    }
    const rows = this.db
      .prepare<Record<string, string | number>, Row>(
        `SELECT * FROM task_usage ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at, message_id`,
      )
      .all(params);
    return summarise(
      rows.map((row) => ({
        agent: row.agent,
        repo: row.repo,
        taskId: row.task_id,
        messageId: row.message_id,
        at: row.at,
        ok: row.ok === 1,
        inputTokens: row.input_tokens,
        outputTokens: row.output_tokens,
        cachedInputTokens: row.cached_input_tokens,
        costUsd: row.cost_usd,
        durationMs: row.duration_ms,
      })),
    );
  }
}
