/**
 * A registry on a real SQLite temp file, with a clock the test moves by hand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { AgentsChanged } from '../../../src/shared/contract.js';
import { openDatabase } from '../../../src/core/db/database.js';
import type { SqliteRegistry } from '../../../src/core/registry/sqlite-registry.js';
import { createSqliteRegistry } from '../../../src/core/registry/sqlite-registry.js';
import type { LivenessPolicy, RegistrationInput } from '../../../src/core/registry/types.js';

/** Epoch milliseconds every fixture starts at. */
export const T0 = 1_700_000_000_000;

export interface RegistryFixture {
  dir: string;
  file: string;
  db: Database;
  registry: SqliteRegistry;
  clock: { now(): number; set(ms: number): void; advance(ms: number): void };
  /** Every batch the change feed delivered. */
  batches: AgentsChanged[];
  /** Closes the database and opens it again, as a restart would. */
  reopen(): void;
  close(): void;
}

/** Opens a fresh registry in a temp folder; call close() in afterEach. */
export function openFixture(liveness: Partial<LivenessPolicy> = {}): RegistryFixture {
  const dir = mkdtempSync(join(tmpdir(), 'sy-registry-'));
  const file = join(dir, 'switchyard.db');
  let now = T0;
  const clock = {
    now: () => now,
    set: (ms: number) => {
      now = ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
  const batches: AgentsChanged[] = [];
  const open = (): { db: Database; registry: SqliteRegistry } => {
    const db = openDatabase(file);
    const registry = createSqliteRegistry(db, { clock, liveness, sweepEveryMs: false });
    registry.onChange((batch) => batches.push(batch));
    return { db, registry };
  };
  const fixture: RegistryFixture = {
    dir,
    file,
    ...open(),
    clock,
    batches,
    reopen() {
      fixture.registry.close();
      fixture.db.close();
      Object.assign(fixture, open());
    },
    close() {
      fixture.registry.close();
      if (fixture.db.open) fixture.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** A valid registration, with overrides. */
export function registration(overrides: Partial<RegistrationInput> = {}): RegistrationInput {
  const name = overrides.name ?? 'agent-a';
  return {
    name,
    type: 'worker',
    location: 'local',
    repo: 'switchyard',
    owner: 'ada',
    endpoint: `ws://127.0.0.1:7000/${name}`,
    instanceId: `instance-${name}`,
    ...overrides,
  };
}

/** Waits for the change feed's batch of this turn to go out. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Row counts of the registry's tables, to prove nothing was written. */
export function tableCounts(db: Database): { agents: number; attributes: number } {
  const count = (table: string): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { agents: count('agents'), attributes: count('agent_attributes') };
}
