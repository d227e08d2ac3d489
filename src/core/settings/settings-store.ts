/**
 * Keeps the hybrid config in SQLite across restarts.
 */
import type { Database } from 'better-sqlite3';
import type { HybridConfig } from '../../shared/config.js';
import { HybridConfig as HybridConfigSchema, defaultHybridConfig } from '../../shared/config.js';

const KEY = 'hybrid-config';

export class SettingsStore {
  private readonly read;
  private readonly write;

  constructor(db: Database) {
    this.read = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.write = db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
  }

  /**
   * The stored config, or the default when none was saved.
   *
   * A stored value that no longer parses (an older or hand-edited one) does not stop
   * the app. One that parses once hybrid mode is off — an enabled `ws://` URL to
   * another machine, saved before unencrypted transport needed allowing — comes back
   * switched off, so nothing is sent in clear and Settings still shows what was there;
   * anything else falls back to the default.
   */
  hybridConfig(): HybridConfig {
    const row = this.read.get(KEY);
    if (!row) return defaultHybridConfig();
    const stored = safeJson(row.value);
    const parsed = HybridConfigSchema.safeParse(stored);
    if (parsed.success) return parsed.data;
    if (stored !== null && typeof stored === 'object') {
      const off = HybridConfigSchema.safeParse({ ...stored, enabled: false });
      if (off.success) return off.data;
    }
    return defaultHybridConfig();
  }

  saveHybridConfig(config: HybridConfig, now: number): void {
    this.write.run(KEY, JSON.stringify(HybridConfigSchema.parse(config)), now);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
