/**
 * How one KV entry becomes a mirror change, pure so it can be tested without NATS.
 *
 * - Malformed values (not JSON, not an object, or a key that disagrees with the record)
 *   are dropped: they never leave half a record behind. The full AgentInfo schema is
 *   checked once, by the registry's applyRemote (its parsing boundary) — parsing every
 *   record twice cost more than the watch itself in bench/sync.ts. A batch the registry
 *   rejects is re-checked record by record (see mirror-sync.ts), so one bad record
 *   never blocks the good ones.
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

type Entry = { key: string; revision: number; operation: 'PUT' | 'DEL' | 'PURGE'; value: Uint8Array };

/** Translates an entry after a cheap shape check; `strict` also runs the full schema. */
export function translateEntry(entry: Entry, repo: string, desktopId: string, strict = false): MirrorChange {
  const ref = parseRegistryKey(entry.key);
  if (!ref || ref.repo !== repo) return { kind: 'skip', key: entry.key, reason: 'foreign-repo' };
  if (entry.operation !== 'PUT') return { kind: 'remove', key: entry.key, repo: ref.repo, name: ref.name };
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(entry.value));
  } catch {
    return { kind: 'skip', key: entry.key, reason: 'malformed' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { kind: 'skip', key: entry.key, reason: 'malformed' };
  const record = raw as Partial<AgentInfo>;
  if (record.repo !== ref.repo || record.name !== ref.name || typeof record.tags !== 'object' || record.tags === null) {
    return { kind: 'skip', key: entry.key, reason: 'malformed' };
  }
  if (strict && !AgentInfoSchema.safeParse(raw).success) return { kind: 'skip', key: entry.key, reason: 'malformed' };
  if ((record.tags as Record<string, unknown>)[DESKTOP_TAG] === desktopId) return { kind: 'skip', key: entry.key, reason: 'own' };
  return { kind: 'upsert', key: entry.key, info: { ...(record as AgentInfo), location: 'remote', revision: entry.revision } };
}
