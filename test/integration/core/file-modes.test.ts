/**
 * What another user on the machine could read: nothing. The data folder is 0700 and
 * the database (with its -wal and -shm), the API-token file and the gateway token are
 * 0600 — also when they existed before with looser modes.
 */
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/core/core.js';
import { defaultHybridConfig } from '../../../src/shared/config.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;
const cleanups: Array<() => unknown> = [];
let umask: number;
beforeEach(() => {
  // The usual desktop umask: new files would be 0644 and folders 0755 without care.
  umask = process.umask(0o022);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  process.umask(umask);
});

describe.skipIf(process.platform === 'win32')('file modes', () => {
  it('keeps the data folder 0700 and the database, its WAL/SHM and the token files 0600', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const dataDir = join(temp.path, 'data');
    const core = await createCore({ dataDir, env: {}, agents: { gateway: { port: 0 } } });
    cleanups.push(() => core.close());
    // A write, so the WAL holds something and the token file exists.
    const saved = await core.call('config.set', { config: defaultHybridConfig(), apiToken: 'private-token-1' });
    expect(saved.ok).toBe(true);

    const db = join(dataDir, 'switchyard.db');
    expect(existsSync(`${db}-wal`)).toBe(true);
    expect(existsSync(`${db}-shm`)).toBe(true);
    expect(modeOf(dataDir)).toBe(0o700);
    for (const file of [db, `${db}-wal`, `${db}-shm`, join(dataDir, 'api-token'), join(dataDir, 'gateway-token')]) {
      expect({ file, mode: modeOf(file).toString(8) }).toEqual({ file, mode: '600' });
    }
  });

  it('tightens a data folder and database files that an older version left readable', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const dataDir = join(temp.path, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const first = await createCore({ dataDir, env: {}, agents: { gateway: false } });
    await first.close();
    const db = join(dataDir, 'switchyard.db');
    chmodSync(dataDir, 0o755);
    chmodSync(db, 0o644);
    writeFileSync(`${db}-wal`, '');
    chmodSync(`${db}-wal`, 0o644);

    const again = await createCore({ dataDir, env: {}, agents: { gateway: false } });
    cleanups.push(() => again.close());
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(db)).toBe(0o600);
    expect(modeOf(`${db}-wal`)).toBe(0o600);
    expect(modeOf(`${db}-shm`)).toBe(0o600);
  });
});
