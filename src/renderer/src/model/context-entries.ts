/**
 * The Context view's pure logic: folding `context.changed` into the blackboard the
 * window holds, and grouping live entries by their first key segment.
 */
import type { ContextEntry } from '../../../shared/blackboard.js';

/** How the store keys an entry: keys are unique per repo only. */
export function contextKey(entry: { repo: string; key: string }): string {
  return `${entry.repo}/${entry.key}`;
}

/**
 * Folds entries into the map: the higher revision wins. A delete is kept as a tombstone
 * (value null) so a late, older put cannot bring the key back; views skip it. The same
 * Map comes back when nothing changed.
 */
export function applyContextEntries(current: ReadonlyMap<string, ContextEntry>, entries: Iterable<ContextEntry>): Map<string, ContextEntry> {
  let next: Map<string, ContextEntry> | null = null;
  for (const entry of entries) {
    const key = contextKey(entry);
    const held = (next ?? current).get(key);
    if (held && held.revision > entry.revision) continue;
    next ??= new Map(current);
    next.set(key, entry);
  }
  return next ?? (current as Map<string, ContextEntry>);
}

/** Whether readers still see the entry at `now`: not deleted, not expired. */
export function isLive(entry: ContextEntry, now: number): boolean {
  return entry.operation === 'put' && entry.value !== null && (entry.expiresAt === null || entry.expiresAt > now);
}

/** The live entries of a repo (null: every repo) under a prefix ('' : all), sorted by key then repo. */
export function liveEntries(entries: Iterable<ContextEntry>, repo: string | null, prefix: string, now: number): ContextEntry[] {
  const out: ContextEntry[] = [];
  for (const entry of entries) {
    if (repo !== null && entry.repo !== repo) continue;
    if (prefix !== '' && entry.key !== prefix && !entry.key.startsWith(`${prefix}/`)) continue;
    if (isLive(entry, now)) out.push(entry);
  }
  return out.sort((a, b) => a.key.localeCompare(b.key) || a.repo.localeCompare(b.repo));
}

/** Entries grouped by their first key segment (`repo`, `user`, `task`…), in key order. */
export function groupByPrefix(entries: readonly ContextEntry[]): { prefix: string; entries: ContextEntry[] }[] {
  const groups = new Map<string, ContextEntry[]>();
  for (const entry of entries) {
    const prefix = entry.key.split('/')[0]!;
    let group = groups.get(prefix);
    if (!group) groups.set(prefix, (group = []));
    group.push(entry);
  }
  return [...groups].map(([prefix, list]) => ({ prefix, entries: list }));
}

/** A value on one line for the table: strings as they are, anything else as compact JSON, cut at `max`. */
export function valuePreview(value: unknown, max = 120): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
