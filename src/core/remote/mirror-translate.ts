/**
 * How one KV entry becomes a mirror change, pure so it can be tested without NATS.
 *
 * This is where registry values cross into the desktop, so this is where they are parsed,
 * once: JSON.parse, then the registry's RemoteRecord schema (AgentInfo, compiled ahead of
 * time with z.compile). The registry's applyRemoteParsed takes the parsed records as
 * they are; checking them there a second time cost more than the watch itself in
 * bench/sync.ts.
 *
 * - Malformed values (not JSON, not a valid AgentInfo, or a key that disagrees with the
 *   record) are dropped one by one: they never leave half a record behind, and never
 *   block the good records of their batch.
 * - Our own local agents echoed back (tag `desktop` = this desktop) are skipped: the
 *   local record is the authority here.
 * - Another desktop's local agent lives on someone else's machine: from here it is
 *   `remote` (reachable over NATS, not runnable here); its `desktop` tag says where.
 */
import { DESKTOP_TAG } from '../../shared/coordinator-protocol.js';
import { NATS_JSON_LIMITS, parseJsonText } from '../../shared/json-limits.js';
import { parseRegistryKey } from '../../shared/nats-subjects.js';
import { RemoteRecord } from '../registry/index.js';

export type MirrorChange =
  | { kind: 'upsert'; key: string; info: RemoteRecord }
  | { kind: 'remove'; key: string; repo: string; name: string }
  | { kind: 'skip'; key: string; reason: 'malformed' | 'own' | 'foreign-repo' };


type Entry = { key: string; revision: number; operation: 'PUT' | 'DEL' | 'PURGE'; value: Uint8Array };

/** Parses and translates one entry. */
export function translateEntry(entry: Entry, repo: string, desktopId: string): MirrorChange {
  const ref = parseRegistryKey(entry.key);
  if (!ref || ref.repo !== repo) return { kind: 'skip', key: entry.key, reason: 'foreign-repo' };
  if (entry.operation !== 'PUT') return { kind: 'remove', key: entry.key, repo: ref.repo, name: ref.name };
  let raw: unknown;
  try {
    raw = parseJsonText(entry.value, NATS_JSON_LIMITS, 'registry value');
  } catch {
    return { kind: 'skip', key: entry.key, reason: 'malformed' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { kind: 'skip', key: entry.key, reason: 'malformed' };
  // Seen from here every record is remote, at its KV revision (the wire carries 0).
  // `raw` is this function's own fresh object, so setting the two fields copies nothing.
  const fields = raw as Record<string, unknown>;
  fields['location'] = 'remote';
  fields['revision'] = entry.revision;
  const parsed = RemoteRecord.safeParse(raw);
  if (!parsed.success) return { kind: 'skip', key: entry.key, reason: 'malformed' };
  const info = parsed.data;
  if (info.repo !== ref.repo || info.name !== ref.name) return { kind: 'skip', key: entry.key, reason: 'malformed' };
  if (info.tags[DESKTOP_TAG] === desktopId) return { kind: 'skip', key: entry.key, reason: 'own' };
  return { kind: 'upsert', key: entry.key, info };
}
