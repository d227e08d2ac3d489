/**
 * One desktop of `npm run bench -- scale` (bench/scale.ts): the core's remote link over
 * its SQLite registry, as core.ts composes them, in a process of its own.
 *
 * Why a process each: ten mirrors and the heartbeat generator in one Node process queue
 * behind one another on one event loop (p50 ~850 ms with ten, ~95 ms with one), which
 * measures the bench's process, not a desktop; a desktop is a machine of its own.
 *
 * Started with fork() and `--import tsx`; argv: index, repo, the servers (JSON). The
 * token comes in SY_NATS_TOKEN. It tells the parent `synced`, then, per change batch, the
 * probe changes it saw with the wall time (performance.timeOrigin + now, sub-millisecond
 * and comparable across processes); on `close` it closes and exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/core/clock.js';
import { openDatabase } from '../src/core/db/database.js';
import { createSqliteRegistry } from '../src/core/registry/sqlite-registry.js';
import { startRemoteLink } from '../src/core/remote/remote-link.js';

/** The load.max a probe agent heartbeats with; load.current is its cycle. */
export const PROBE_MAX = 1_000_000;

export type DesktopReport = { type: 'synced' } | { type: 'probes'; seen: Array<[name: string, cycle: number, at: number]> };

const wallNow = () => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const [indexText, repo, serversJson] = process.argv.slice(2);
  const index = Number(indexText);
  const servers = JSON.parse(serversJson!) as string[];
  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-scale-'));
  const db = openDatabase(join(dir, 'switchyard.db'));
  const registry = createSqliteRegistry(db, { clock: systemClock, sweepEveryMs: false });
  const primary = servers[index % servers.length]!;
  const link = startRemoteLink({
    url: primary,
    servers: servers.filter((url) => url !== primary),
    repo: repo!,
    token: process.env.SY_NATS_TOKEN!,
    registry,
    desktopId: `bench-desktop-${index}`,
    onState: () => undefined,
  });
  const send = (report: DesktopReport) => process.send!(report);
  registry.onChange((batch) => {
    const at = wallNow();
    const seen: Array<[string, number, number]> = [];
    for (const info of batch.upserts) if (info.load.max === PROBE_MAX) seen.push([info.name, info.load.current, at]);
    if (seen.length > 0) send({ type: 'probes', seen });
  });
  process.on('message', (message) => {
    if (message !== 'close') return;
    void link.close().finally(() => {
      registry.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
  // The parent gone (killed bench): nothing left to report to.
  process.on('disconnect', () => process.exit(0));
  await link.synced();
  send({ type: 'synced' });
}

if (process.send) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
