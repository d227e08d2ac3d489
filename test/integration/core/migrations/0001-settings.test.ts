import { describe, expect, it } from 'vitest';
import { SettingsStore } from '../../../../src/core/settings/settings-store.js';
import { defaultHybridConfig } from '../../../../src/shared/config.js';
import { columns, databaseAt, indexes, tables, upgradeTo } from './step-db.js';

describe('migration 0001: settings', () => {
  it('creates the settings table on a new database, and the settings store keeps a config in it', () => {
    const { db } = databaseAt(0);
    expect(tables(db)).toEqual([]);
    expect(upgradeTo(db, 1)).toBe(1);

    expect(tables(db)).toEqual(['settings']);
    expect(columns(db, 'settings')).toEqual(['key TEXT NOT NULL PK', 'value TEXT NOT NULL', 'updated_at INTEGER NOT NULL']);
    expect(indexes(db, 'settings')).toEqual(['pk(key)']);
    // STRICT: a value of the wrong type is refused, not stored as something else.
    expect(() => db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('k', 'v', 'yesterday')).toThrow(/cannot store TEXT value in INTEGER column/);

    const store = new SettingsStore(db);
    const config = { ...defaultHybridConfig(), repo: 'web-app' };
    store.saveHybridConfig(config, 42);
    expect(store.hybridConfig()).toEqual(config);
    expect(db.prepare('SELECT key, updated_at FROM settings').all()).toEqual([{ key: 'hybrid-config', updated_at: 42 }]);
  });
});
