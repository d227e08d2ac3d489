/**
 * JSON from outside, read within limits: a byte-size cap and a nesting-depth cap, both
 * checked before `JSON.parse`.
 *
 * Why: the schemas behind every boundary (`z.json()` for message bodies, the recursive
 * shapes inside them) walk values recursively, so a frame nested 20,000 deep throws a
 * `RangeError` (stack overflow) from inside a socket or pipe handler and ends the
 * process. The depth scan here is a single loop with a counter, so no input can exhaust
 * the stack, and a refused input costs one pass over its characters. Every place JSON
 * enters (bridge, gateway, agent stdout, NATS payloads, coordinator requests and replies)
 * reads it through `parseJsonText`; docs/security.md lists the limits.
 */
import { ValidationError } from './errors.js';

/** Deepest nesting of arrays/objects accepted anywhere (a message body sits 2 levels in). */
export const MAX_JSON_DEPTH = 128;

/**
 * The limits for JSON that arrives over NATS (inbox messages, registry values,
 * coordinator requests and replies): a message body may be 1 MiB (docs/routing.md), so
 * its envelope gets room on top.
 */
export const NATS_JSON_LIMITS: JsonLimits = { maxBytes: 2 * 1024 * 1024 };

/** How much JSON one call may read. */
export interface JsonLimits {
  /** Largest input, in UTF-8 bytes. */
  maxBytes: number;
  /** Deepest nesting of `[` / `{`; defaults to MAX_JSON_DEPTH. */
  maxDepth?: number;
}

const decoder = new TextDecoder();

/**
 * Parses JSON from an untrusted source, or throws a ValidationError naming `what`.
 *
 * The size is checked first (on the bytes, before decoding, when given bytes), then the
 * depth, then the syntax; each failure has its own message so a caller can tell them apart.
 */
export function parseJsonText(input: string | Uint8Array, limits: JsonLimits, what: string): unknown {
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  let text: string;
  if (typeof input === 'string') {
    // UTF-16 length bounds the UTF-8 size from below and (×3) from above: count only near the limit.
    if (input.length > limits.maxBytes || (input.length * 3 > limits.maxBytes && utf8Length(input) > limits.maxBytes)) {
      throw tooLarge(what, limits.maxBytes);
    }
    text = input;
  } else {
    if (input.byteLength > limits.maxBytes) throw tooLarge(what, limits.maxBytes);
    text = decoder.decode(input);
  }
  const depth = jsonDepthExceeds(text, maxDepth);
  if (depth !== null) {
    throw new ValidationError(what, [{ path: '', message: `JSON is nested deeper than ${maxDepth} levels (at character ${depth})` }]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValidationError(what, [{ path: '', message: `not JSON (${(error as Error).message})` }], { cause: error });
  }
}

/**
 * Where the nesting of `text` first goes past `maxDepth`, as a character offset, or null
 * when it never does.
 *
 * A plain loop, no recursion: brackets inside strings (with their escapes) do not count.
 * It does not validate the syntax; `JSON.parse` does that afterwards.
 */
export function jsonDepthExceeds(text: string, maxDepth: number): number | null {
  // Nesting cannot go deeper than the number of opening brackets: when they are few, as in
  // nearly every real message, native indexOf counts them ~40× faster than the scan below.
  if (openingBracketsAtMost(text, maxDepth)) return null;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return null;
}

/** Whether `text` holds at most `limit` `[` and `{` in all (inside strings too). */
function openingBracketsAtMost(text: string, limit: number): boolean {
  let count = 0;
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) if (++count > limit) return false;
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) if (++count > limit) return false;
  return true;
}

/** The UTF-8 size of `text` without allocating it (a lone surrogate counts as 3, as TextEncoder writes it). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function tooLarge(what: string, limit: number): ValidationError {
  return new ValidationError(what, [{ path: '', message: `JSON is larger than the limit of ${limit} bytes` }]);
}
