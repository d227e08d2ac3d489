/**
 * How one KV entry becomes a mirror change, pure so it can be tested without NATS.
 *
 * - Malformed values (not JSON, not an AgentInfo, or a key that disagrees with the
 *   record) are dropped: they never leave half a record behind.
 * - Our own local agents echoed back (tag `desktop` = this desktop) are skipped: the
 *   local record is the authority here.
 * - Another desktop's local agent lives on someone else's machine: from here it is
 *   `remote` (reachable over NATS, not runnable here); its `desktop` tag says where.
 */
import { DESKTOP_TAG } from '../../shared/coordinator-protocol.js';
import type { AgentInfo } from '../../shared/domain.js';
import { AgentInfo as AgentInfoSchema } from '../../shared/domain.js';
import { parseRegistryKey } from '../../shared/nats-subjects.js';

export type MirrorChange =
  | { kind: 'upsert'; key: string; info: AgentInfo }
  | { kind: 'remove'; key: string; repo: string; name: string }
  | { kind: 'skip'; key: string; reason: 'malformed' | 'own' | 'foreign-repo' };

const decoder = new TextDecoder();

export function translateEntry(
  entry: { key: string; revision: number; operation: 'PUT' | 'DEL' | 'PURGE'; value: Uint8Array },
  repo: string,
  desktopId: string,
): MirrorChange {
  const ref = parseRegistryKey(entry.key);
  if (!ref || ref.repo !== repo) return { kind: 'skip', key: entry.key, reason: 'foreign-repo' };
  if (entry.operation !== 'PUT') return { kind: 'remove', key: entry.key, repo: ref.repo, name: ref.name };
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(entry.value));
  } catch {
    return { kind: 'skip', key: entry.key, reason: 'malformed' };
  }
  const parsed = AgentInfoSchema.safeParse(raw);
  if (!parsed.success || parsed.data.repo !== ref.repo || parsed.data.name !== ref.name) {
    return { kind: 'skip', key: entry.key, reason: 'malformed' };
  }
  const info = parsed.data;
  if (info.tags[DESKTOP_TAG] === desktopId) return { kind: 'skip', key: entry.key, reason: 'own' };
  return { kind: 'upsert', key: entry.key, info: { ...info, location: 'remote', revision: entry.revision } };
}
