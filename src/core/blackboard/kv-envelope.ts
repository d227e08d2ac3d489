/**
 * A blackboard entry as the team's KV bucket holds it: the key is `<repo>.<key>`, the
 * value a small JSON envelope, and the revision and operation come from KV itself.
 *
 * A write of `null` is stored as an envelope marked deleted (so the history keeps who
 * deleted it); the coordinator's sweep of expired keys leaves a KV delete marker, whose
 * writer is `coordinator`.
 */
import type { KvEntry } from 'nats.ws';
import { z } from 'zod';
import type { ContextEntry } from '../../shared/blackboard.js';
import { ContextEntry as ContextEntrySchema, MAX_CONTEXT_VALUE_BYTES } from '../../shared/blackboard.js';
import { Timestamp } from '../../shared/domain.js';
import { ValidationError } from '../../shared/errors.js';
import { NATS_JSON_LIMITS, parseJsonText } from '../../shared/json-limits.js';
import { parseContextKvKey } from '../../shared/nats-subjects.js';

/** The writer recorded for the coordinator's own deletes (the TTL sweep). */
export const COORDINATOR_WRITER = 'coordinator';

export const ContextEnvelope = z.object({
  value: z.json().nullable(),
  writer: z.string().max(256),
  updatedAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  deleted: z.boolean().optional(),
});
export type ContextEnvelope = z.infer<typeof ContextEnvelope>;

const encoder = new TextEncoder();

/** Throws ValidationError when a value is over MAX_CONTEXT_VALUE_BYTES of JSON. */
export function assertValueSize(value: unknown): void {
  const bytes = encoder.encode(JSON.stringify(value)).length;
  if (bytes > MAX_CONTEXT_VALUE_BYTES) {
    throw new ValidationError('context value', [{ path: 'value', message: `the value is ${bytes} bytes of JSON; the limit is ${MAX_CONTEXT_VALUE_BYTES}` }]);
  }
}

export function encodeEnvelope(envelope: ContextEnvelope): Uint8Array {
  return encoder.encode(JSON.stringify(envelope));
}

/** The entry a KV entry stands for, or undefined for a foreign key or a malformed value. */
export function entryOfKv(kv: Pick<KvEntry, 'key' | 'value' | 'revision' | 'operation' | 'created'>): ContextEntry | undefined {
  const where = parseContextKvKey(kv.key);
  if (!where) return undefined;
  if (kv.operation !== 'PUT') {
    return { ...where, value: null, writer: COORDINATOR_WRITER, revision: kv.revision, updatedAt: kv.created.getTime(), expiresAt: null, operation: 'delete' };
  }
  let raw: unknown;
  try {
    raw = parseJsonText(kv.value, NATS_JSON_LIMITS, 'context value');
  } catch {
    return undefined;
  }
  const envelope = ContextEnvelope.safeParse(raw);
  if (!envelope.success) return undefined;
  const { value, writer, updatedAt, expiresAt, deleted } = envelope.data;
  const entry: ContextEntry = {
    ...where,
    value: deleted ? null : value,
    writer,
    revision: kv.revision,
    updatedAt,
    expiresAt: deleted ? null : expiresAt,
    operation: deleted ? 'delete' : 'put',
  };
  return ContextEntrySchema.safeParse(entry).success ? entry : undefined;
}

/** An entry as a reader sees it at `now`: an expired one is gone (value null). */
export function isLive(entry: ContextEntry, now: number): boolean {
  return entry.operation === 'put' && (entry.expiresAt === null || entry.expiresAt > now);
}
