/**
 * One served repo's agents in the coordinator: a LocalAgents over a private SQLite
 * registry (the processes' local truth) and the receiver ledger, in
 * `<dataDir>/<repo>/team.db`, and where a coding agent of that repo works.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalAgents, OutboundEvent, StartSettings } from '../core/agents/index.js';
import { createLocalAgents } from '../core/agents/index.js';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import { openDatabase } from '../core/db/database.js';
import type { AgentRegistry } from '../core/registry/index.js';
import { createSqliteRegistry } from '../core/registry/index.js';
import { InboundLedger, LEDGER_RETENTION_MS } from '../core/router/index.js';

export interface RepoAgents {
  agents: LocalAgents;
  /** The repo's private database (the core's migrations: its tasks table holds the tasks its agents requested). */
  db: Database;
  registry: AgentRegistry;
  /** Message ids already handed to an agent here: a redelivery past the stream's duplicate window is dropped. */
  ledger: InboundLedger;
  close(): Promise<void>;
}

export interface RepoAgentsOptions {
  repo: string;
  dataDir: string;
  manifestDir: string;
  owner: string;
  clock: Clock;
  onOutbound(event: OutboundEvent): void;
}

/**
 * Opens a repo's agents. No SWITCHYARD_APPROVER is set: a coding agent here sends its
 * approvals to the person behind each request (src/core/coding/approver.ts), never to
 * someone the coordinator picks.
 */
export async function openRepoAgents(options: RepoAgentsOptions): Promise<RepoAgents> {
  const { repo, clock } = options;
  const dir = join(options.dataDir, repo);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = openDatabase(join(dir, 'team.db'));
  const registry = createSqliteRegistry(db, { clock });
  const agents = await createLocalAgents({
    registry,
    dataDir: dir,
    repo: () => repo,
    clock,
    builtinManifestDir: options.manifestDir,
    userManifestDir: join(dir, 'agents'),
    owner: options.owner,
    gateway: false,
  });
  agents.onOutbound(options.onOutbound);
  // The desktop's receiver ledger, in the same database (its table comes with the core's migrations).
  const ledger = new InboundLedger(db);
  ledger.forgetBefore(clock.now() - LEDGER_RETENTION_MS);
  return {
    agents,
    db,
    registry,
    ledger,
    async close() {
      await agents.stopAll();
      ledger.flush();
      registry.close();
      db.close();
    },
  };
}

/**
 * What a team agent is started with: its repo's workspace (team.workspaces) when the
 * coordinator has one. A coding agent without one stays up and answers each task with
 * `workspace-invalid`; other agents ignore it.
 */
export function teamStartSettings(workspaces: Readonly<Record<string, string>>, repo: string): StartSettings {
  return Object.hasOwn(workspaces, repo) ? { workspace: workspaces[repo] } : {};
}
