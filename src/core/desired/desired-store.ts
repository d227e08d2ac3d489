/**
 * The desired state of local agents: which ones the user started (with their options)
 * and which they stopped, and which types start by themselves in a repo.
 *
 * The one module that reads and writes `desired_agents` and `autostart_types`
 * (migration 0006). The registry says what runs now; this says what should, so the
 * core can start the same agents again after a restart, a crash or a kill -9.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Isolation } from '../../shared/coding.js';

/** One agent the user asked for. */
export interface DesiredAgent {
  repo: string;
  name: string;
  type: string;
  workspace?: string;
  isolation?: Isolation;
  wanted: 'running' | 'stopped';
  updatedAt: number;
}

interface Row {
  repo: string;
  name: string;
  type: string;
  workspace: string | null;
  isolation: string | null;
  wanted: 'running' | 'stopped';
  updated_at: number;
}

const toDesired = (row: Row): DesiredAgent => ({
  repo: row.repo,
  name: row.name,
  type: row.type,
  ...(row.workspace !== null ? { workspace: row.workspace } : {}),
  ...(row.isolation !== null ? { isolation: row.isolation as Isolation } : {}),
  wanted: row.wanted,
  updatedAt: row.updated_at,
});

export class DesiredAgents {
  private readonly upsert: Statement;
  private readonly mark: Statement;
  private readonly byRepo: Statement<[string], Row>;
  private readonly one: Statement<[string, string], Row>;
  private readonly autostartOf: Statement<[string], { type: string }>;
  private readonly autostartOn: Statement;
  private readonly autostartOff: Statement;

  constructor(db: Database) {
    this.upsert = db.prepare(
      `INSERT INTO desired_agents (repo, name, type, workspace, isolation, wanted, updated_at)
       VALUES (@repo, @name, @type, @workspace, @isolation, 'running', @now)
       ON CONFLICT (repo, name) DO UPDATE SET type = excluded.type, workspace = excluded.workspace,
         isolation = excluded.isolation, wanted = 'running', updated_at = excluded.updated_at`,
    );
    this.mark = db.prepare(`UPDATE desired_agents SET wanted = 'stopped', updated_at = @now WHERE repo = @repo AND name = @name`);
    this.byRepo = db.prepare(`SELECT * FROM desired_agents WHERE repo = ? ORDER BY updated_at, name`);
    this.one = db.prepare(`SELECT * FROM desired_agents WHERE repo = ? AND name = ?`);
    this.autostartOf = db.prepare(`SELECT type FROM autostart_types WHERE repo = ? ORDER BY type`);
    this.autostartOn = db.prepare(
      `INSERT INTO autostart_types (repo, type, updated_at) VALUES (@repo, @type, @now)
       ON CONFLICT (repo, type) DO UPDATE SET updated_at = excluded.updated_at`,
    );
    this.autostartOff = db.prepare(`DELETE FROM autostart_types WHERE repo = @repo AND type = @type`);
  }

  /** The user started `name`: it runs again on the next launch, with these options. */
  started(agent: Omit<DesiredAgent, 'wanted' | 'updatedAt'>, now: number): void {
    this.upsert.run({
      repo: agent.repo,
      name: agent.name,
      type: agent.type,
      workspace: agent.workspace ?? null,
      isolation: agent.isolation ?? null,
      now,
    });
  }

  /** The user stopped `name`: it stays stopped on the next launch (a name never started is ignored). */
  stopped(repo: string, name: string, now: number): void {
    this.mark.run({ repo, name, now });
  }

  get(repo: string, name: string): DesiredAgent | undefined {
    const row = this.one.get(repo, name);
    return row ? toDesired(row) : undefined;
  }

  /** Every agent asked for in `repo`, running or stopped, oldest first. */
  list(repo: string): DesiredAgent[] {
    return this.byRepo.all(repo).map(toDesired);
  }

  /** The types that start by themselves in `repo`. */
  autostart(repo: string): string[] {
    return this.autostartOf.all(repo).map((row) => row.type);
  }

  setAutostart(repo: string, type: string, on: boolean, now: number): void {
    if (on) this.autostartOn.run({ repo, type, now });
    else this.autostartOff.run({ repo, type });
  }
}
