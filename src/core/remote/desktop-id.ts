/**
 * A stable id for this desktop's data folder: the `desktop` tag of the local agents it
 * registers with the coordinator, so other desktops (and this one, on its own echo)
 * can tell where an agent lives.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AgentName } from '../../shared/domain.js';

export function desktopIdOf(dataDir: string): string {
  const file = join(dataDir, 'desktop-id');
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim();
    if (AgentName.safeParse(id).success) return id;
  }
  const host = hostname().replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32) || 'desktop';
  const id = `${host}-${randomBytes(4).toString('hex')}`;
  writeFileSync(file, id, { mode: 0o600 });
  return id;
}
