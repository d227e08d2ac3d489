import BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/core/db/migrate.js';
import { MIGRATIONS, fromFile } from '../../../src/core/db/migrations/index.js';
import { openDatabase } from '../../../src/core/db/database.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const STEPS = join('src', 'core', 'db', 'migrations');
const STEP_TESTS = join('test', 'integration', 'core', 'migrations');

const dirs: Array<{ remove(): void }> = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

function tempFile(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return join(dir.path, 'test.db');
}

/** The step files of the folder, by name without extension, in file-name order. */
function stepFiles(): string[] {
  return readdirSync(STEPS)
    .filter((file) => file !== 'index.ts')
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
}

/**
 * A fingerprint of each released version's schema (every CREATE statement as SQLite
 * stored it). Databases on users' machines record these numbers: a step that changes
 * once released would leave two kinds of database with the same number.
 */
const RELEASED_SCHEMAS: Record<number, string> = {
  1: '62c4942ecb515250bfb6ccda423a074513911e8c1ae837e3aa4c78a362d91aa5',
  2: '07347f1a708e176dd47cd17ad0b7a741e2e35d3c0d50b6d64929b32f60119811',
  3: '379b20d5073101410d090d0993d66c04796fa30a739c377c88b3c4b0b7bcbed4',
  4: '5abc79ee2c72dd0876f20d8c4c66c1257c6d230cd6b2a02648eb6907db0c441b',
  5: '035e7c68b7e3a15a96ca02e0da982527a38c45825aa1775edde47829971cad5c',
  6: 'e7d289c93ce9d5f3420582a195de01c284320dc6a3c7f2d92e9eca1376acc135',
  7: '9c9b9ef224130bb85d0db42f6fe44358ea3e6775a77bf6e5ce4c7f17f371786e',
  8: '16c380608b323b6aa8ea2dd8b9ffc5d9c81b1b756dc0351ef1280d3db4cfec33',
  9: 'd16be82523ce59e7048c34f8af5e83c9b0f340ddb10b29ef3acb1abd88c5ef85',
};

function schemaFingerprint(db: BetterSqlite3.Database): string {
  const rows = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name').all() as Array<Record<string, string | null>>;
  const text = rows.map((row) => `${row.type} ${row.name} ${row.tbl_name}\n${row.sql ?? ''}`).join('\n');
  return createHash('sha256').update(text).digest('hex');
}

describe('the migrations folder', () => {
  it('lists every step file, in file-name order, each numbered by its file name', async () => {
    const files = stepFiles();
    expect(files.length).toBeGreaterThan(0);
    expect(MIGRATIONS.map((m) => m.name)).toEqual(files);
    for (const [index, file] of files.entries()) {
      const step = MIGRATIONS[index]!;
      expect(step.version).toBe(Number(file.slice(0, 4)));
      // The list entry runs that very file's step, not another one's.
      const module = (await import(pathToFileURL(join(process.cwd(), STEPS, `${file}.ts`)).href)) as { default: unknown };
      expect(module.default).toBe(step.up);
    }
  });

  it('has one upgrade test per step', () => {
    const missing = stepFiles().filter((file) => !existsSync(join(STEP_TESTS, `${file}.test.ts`)));
    expect(missing).toEqual([]);
  });

  it('refuses a file name without its number', () => {
    expect(() => fromFile('settings', () => {})).toThrow(/NNNN-<name>/);
    expect(() => fromFile('0005-Bad_Name', () => {})).toThrow(/NNNN-<name>/);
    expect(fromFile('0005-agent-notes', () => {}).version).toBe(5);
  });

  it('keeps every released version meaning the schema it was released with', () => {
    for (let version = 1; version <= MIGRATIONS.length; version++) {
      const db = new BetterSqlite3(':memory:');
      migrate(db, MIGRATIONS, version);
      expect({ version, schema: schemaFingerprint(db) }).toEqual({ version, schema: RELEASED_SCHEMAS[version] ?? 'not released yet: add it here' });
      db.close();
    }
  });
});

describe('the runner', () => {
  it('brings a database at any version up to the latest, keeping its data', () => {
    const file = tempFile();
    const old = new BetterSqlite3(file);
    migrate(old, MIGRATIONS, 1);
    old.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('kept', '1', 1);
    old.close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT value FROM settings WHERE key = ?').get('kept')).toEqual({ value: '1' });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('rolls back a migration that fails halfway, leaving the version where it was', () => {
    const db = new BetterSqlite3(tempFile());
    const broken = [
      ...MIGRATIONS.slice(0, 1),
      {
        version: 2,
        name: '0002-broken',
        up(database: BetterSqlite3.Database) {
          database.exec('CREATE TABLE half (id INTEGER)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, broken)).toThrow('boom');
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    db.close();
  });

  it('refuses gaps in the numbering', () => {
    const db = new BetterSqlite3(':memory:');
    expect(() => migrate(db, [{ version: 2, name: '0002-x', up() {} }])).toThrow(/without gaps/);
    db.close();
  });
});
