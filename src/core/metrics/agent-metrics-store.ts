/**
 * Per-agent statistics in SQLite (migration 0009): finished tasks, up intervals and
 * restarts, and the summary of one agent over a window. The only module that touches
 * those tables.
 */
import type { Database, Statement } from 'better-sqlite3';

/** How long rows are kept: the longest window. */
export const METRICS_RETENTION_MS = 7 * 86_400_000;

export interface TaskRecord {
  messageId: string;
  repo: string;
  agent: string;
  at: number;
  outcome: 'completed' | 'failed';
  /** Null when neither the body nor a `task.started` said how long it took. */
  durationMs: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface AgentSummary {
  tasksCompleted: number;
  tasksFailed: number;
  avgDurationMs: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  upMs: number;
  restarts: number;
}

type Ref = { repo: string; agent: string };

export class AgentMetricsStore {
  private readonly insertTask: Statement<TaskRecord>;
  private readonly openInterval: Statement<Ref & { at: number }>;
  private readonly closeInterval: Statement<Ref & { at: number }>;
  private readonly insertRestart: Statement<Ref & { at: number }>;
  private readonly tasksOf: Statement<Ref & { since: number }, Omit<AgentSummary, 'upMs' | 'restarts'>>;
  private readonly upOf: Statement<Ref & { since: number; now: number }, { upMs: number }>;
  private readonly restartsOf: Statement<Ref & { since: number }, { restarts: number }>;
  private readonly known: Statement<Ref, { found: number }>;

  constructor(private readonly db: Database) {
    this.insertTask = db.prepare(
      `INSERT OR IGNORE INTO agent_task_events (message_id, repo, agent, at, outcome, duration_ms, input_tokens, output_tokens, cost_usd)
       VALUES (@messageId, @repo, @agent, @at, @outcome, @durationMs, @inputTokens, @outputTokens, @costUsd)`,
    );
    this.openInterval = db.prepare(
      `INSERT OR IGNORE INTO agent_up_intervals (repo, agent, started_at, ended_at, seen_at)
       SELECT @repo, @agent, @at, NULL, @at
       WHERE NOT EXISTS (SELECT 1 FROM agent_up_intervals WHERE repo = @repo AND agent = @agent AND ended_at IS NULL)`,
    );
    this.closeInterval = db.prepare(
      `UPDATE agent_up_intervals SET ended_at = MAX(started_at, @at), seen_at = MAX(started_at, @at)
       WHERE repo = @repo AND agent = @agent AND ended_at IS NULL`,
    );
    this.insertRestart = db.prepare('INSERT INTO agent_restarts (repo, agent, at) VALUES (@repo, @agent, @at)');
    this.tasksOf = db.prepare(
      `SELECT COALESCE(SUM(outcome = 'completed'), 0) AS tasksCompleted, COALESCE(SUM(outcome = 'failed'), 0) AS tasksFailed,
         AVG(CASE WHEN outcome = 'completed' THEN duration_ms END) AS avgDurationMs,
         COALESCE(SUM(input_tokens), 0) AS inputTokens, COALESCE(SUM(output_tokens), 0) AS outputTokens,
         COALESCE(SUM(cost_usd), 0.0) AS costUsd
       FROM agent_task_events WHERE repo = @repo AND agent = @agent AND at >= @since`,
    );
    this.upOf = db.prepare(
      `SELECT COALESCE(SUM(MAX(0, MIN(COALESCE(ended_at, @now), @now) - MAX(started_at, @since))), 0) AS upMs
       FROM agent_up_intervals WHERE repo = @repo AND agent = @agent AND COALESCE(ended_at, @now) > @since`,
    );
    this.restartsOf = db.prepare('SELECT COUNT(*) AS restarts FROM agent_restarts WHERE repo = @repo AND agent = @agent AND at >= @since');
    this.known = db.prepare(
      `SELECT EXISTS (SELECT 1 FROM agent_task_events WHERE repo = @repo AND agent = @agent)
           OR EXISTS (SELECT 1 FROM agent_up_intervals WHERE repo = @repo AND agent = @agent)
           OR EXISTS (SELECT 1 FROM agent_restarts WHERE repo = @repo AND agent = @agent) AS found`,
    );
  }

  /** Runs `work` in one transaction (a registry batch is one write). */
  batch(work: () => void): void {
    this.db.transaction(work)();
  }

  /** Counts a finished task; false when this message was counted already. */
  recordTask(task: TaskRecord): boolean {
    return this.insertTask.run(task).changes > 0;
  }

  /** The agent came up at `at` (nothing when an interval is open already). */
  up(repo: string, agent: string, at: number): void {
    this.openInterval.run({ repo, agent, at });
  }

  /** The agent went down at `at`: its open interval ends. */
  down(repo: string, agent: string, at: number): void {
    this.closeInterval.run({ repo, agent, at });
  }

  restart(repo: string, agent: string, at: number): void {
    this.insertRestart.run({ repo, agent, at });
  }

  /** Every open interval was still up at `at` (a checkpoint; a crash loses at most the time since). */
  checkpoint(at: number): void {
    this.db.prepare('UPDATE agent_up_intervals SET seen_at = MAX(seen_at, @at) WHERE ended_at IS NULL').run({ at });
  }

  /** At start: intervals a crash left open end where they were last seen up. */
  closeDangling(): number {
    return this.db.prepare('UPDATE agent_up_intervals SET ended_at = seen_at WHERE ended_at IS NULL').run().changes;
  }

  /** Ends every open interval at `at` (the core is closing: nothing is watched after this). */
  closeAll(at: number): void {
    this.db.prepare('UPDATE agent_up_intervals SET ended_at = MAX(started_at, @at), seen_at = MAX(started_at, @at) WHERE ended_at IS NULL').run({ at });
  }

  /** Drops what no window reaches any more. */
  prune(now: number): void {
    const before = now - METRICS_RETENTION_MS;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM agent_task_events WHERE at < ?').run(before);
      this.db.prepare('DELETE FROM agent_up_intervals WHERE ended_at IS NOT NULL AND ended_at < ?').run(before);
      this.db.prepare('DELETE FROM agent_restarts WHERE at < ?').run(before);
    })();
  }

  /** Whether anything was ever recorded for the agent (within retention). */
  knows(repo: string, agent: string): boolean {
    return this.known.get({ repo, agent })?.found === 1;
  }

  summary(repo: string, agent: string, since: number, now: number): AgentSummary {
    const tasks = this.tasksOf.get({ repo, agent, since })!;
    const { upMs } = this.upOf.get({ repo, agent, since, now })!;
    const { restarts } = this.restartsOf.get({ repo, agent, since })!;
    return { ...tasks, upMs, restarts };
  }
}
