/**
 * W3C Trace Context (`traceparent`) for messages: the trace id is the message's own,
 * every hop that forwards it gets a fresh span id.
 *
 * Format: `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>` (https://www.w3.org/TR/trace-context/).
 */
import { randomBytes } from 'node:crypto';

export interface TraceParent {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const PATTERN = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * Random bytes from a pooled buffer: ids are minted for every message and hop, and one
 * `randomBytes` call per id costs more than the id is worth.
 */
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let offset = 0;
export function randomHex(bytes: number): string {
  if (offset + bytes > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

export const newTraceId = (): string => randomHex(16);
export const newSpanId = (): string => randomHex(8);

/** A `traceparent` for a hop of `traceId`: a new span, sampled. */
export function traceparentFor(traceId: string, spanId = newSpanId()): string {
  return `00-${traceId}-${spanId}-01`;
}

/** Parses a header value; undefined for anything malformed (all-zero ids are invalid). */
export function parseTraceparent(value: string | undefined): TraceParent | undefined {
  const match = value ? PATTERN.exec(value.trim()) : null;
  if (!match) return undefined;
  const [, traceId, spanId, flags] = match as unknown as [string, string, string, string];
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}
