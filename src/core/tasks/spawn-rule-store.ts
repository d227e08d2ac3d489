/**
 * The desktop's spawn rules, kept in the settings table (key `spawn-rules`) so they
 * survive restarts. A stored value that no longer parses reads as no rules.
 */
import type { Database, Statement } from 'better-sqlite3';
import { parseUnknown } from '../../shared/parse.js';
import type { SpawnRule } from '../../shared/work-model.js';
import { SpawnRules } from '../../shared/work-model.js';

const KEY = 'spawn-rules';

export class SpawnRuleStore {
  private readonly read: Statement<[string], { value: string }>;
  private readonly write: Statement;
  private cached: SpawnRule[] | undefined;

  constructor(db: Database) {
    this.read = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.write = db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
      ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
  }

  get(): SpawnRule[] {
    if (this.cached) return this.cached;
    const row = this.read.get(KEY);
    let rules: SpawnRule[] = [];
    if (row) {
      try {
        rules = SpawnRules.parse(JSON.parse(row.value));
      } catch {
        rules = [];
      }
    }
    this.cached = rules;
    return rules;
  }

  set(rules: unknown, now: number): SpawnRule[] {
    const parsed = parseUnknown(SpawnRules, rules, 'spawn rules');
    this.write.run(KEY, JSON.stringify(parsed), now);
    this.cached = parsed;
    return parsed;
  }
}
