/**
 * Cuts a tool's input down to what a person can read in an approval card: long strings
 * end in "…", long arrays and objects keep their first entries, deep nesting stops.
 * The result is plain JSON (it travels in a message body), whatever the input held.
 */
import type { JsonValue } from './json-value.js';

export interface CutLimits {
  maxString: number;
  maxEntries: number;
  maxDepth: number;
}

export const READABLE: CutLimits = { maxString: 2_000, maxEntries: 50, maxDepth: 6 };

/** `text` cut to `max` characters, marked with "…" when cut. */
export function cutText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** A value that is not an object or array, as JSON. */
function cutScalar(value: unknown, limits: CutLimits): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return cutText(value, limits.maxString);
  if (typeof value === 'bigint') return value.toString();
  return `[${typeof value}]`;
}

export function cutJson(value: unknown, limits: CutLimits = READABLE, depth = 0): JsonValue {
  if (value === null || typeof value !== 'object') return cutScalar(value, limits);
  if (depth >= limits.maxDepth) return Array.isArray(value) ? '[…]' : '{…}';
  if (Array.isArray(value)) {
    const items = value.slice(0, limits.maxEntries).map((item: unknown) => cutJson(item, limits, depth + 1));
    if (value.length > limits.maxEntries) items.push(`… ${value.length - limits.maxEntries} more`);
    return items;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const out: Record<string, JsonValue> = {};
  for (const [key, item] of entries.slice(0, limits.maxEntries)) out[key] = cutJson(item, limits, depth + 1);
  if (entries.length > limits.maxEntries) out['…'] = `${entries.length - limits.maxEntries} more`;
  return out;
}
