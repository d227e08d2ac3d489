/**
 * Turning an untrusted send request into a RoutedMessage: parse, size check, ids.
 */
import type { z } from 'zod';
import { MessageId, TraceId } from '../../shared/domain.js';
import type { RoutedMessage } from '../../shared/domain.js';
import { MessageTooLarge } from '../../shared/errors.js';
import { parseUnknown } from '../../shared/parse.js';
import { SendMessageInput } from '../../shared/routing-contract.js';
import { newTraceId, randomHex } from './trace-context.js';

/** The default body limit: 1 MiB of JSON. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * A send request from any local source: an agent's `send` line, a gateway frame, the
 * UI or the CLI. The contract's `SendMessageInput`, plus the ids a local source may
 * carry over (an agent correlates its `error` replies by `id`). Unknown keys (such as
 * the line's `type`) are ignored.
 */
export const SendRequest = SendMessageInput.extend({
  id: MessageId.optional(),
  traceId: TraceId.optional(),
});
export type SendRequest = z.output<typeof SendRequest>;

/** A time-sortable message id: base36 milliseconds, then 16 random hex digits. */
export function newMessageId(now: number): string {
  return `${now.toString(36)}${randomHex(8)}`;
}

/** Bytes of a body as JSON; bodies that cannot be serialised count as 0 (the schema rejects them). */
export function bodySize(body: unknown): number {
  try {
    const text = JSON.stringify(body);
    return text === undefined ? 0 : Buffer.byteLength(text);
  } catch {
    return 0;
  }
}

/**
 * Requests already checked here (or built by `checkedCopy` from one that was), with the
 * body limit they were checked against. A role send is parsed by the dispatcher and again
 * by the router: the second parse (the schema and the body's JSON size, ~30% of a local
 * dispatch at p50) is skipped for the object the dispatcher hands on.
 */
const checked = new WeakMap<object, number>();

/**
 * Checks the size before the schema: parsing a 50 MB body only to refuse it would
 * let one bad sender stall the router.
 */
export function readSendRequest(input: unknown, maxBodyBytes: number): SendRequest {
  const limit = typeof input === 'object' && input !== null ? checked.get(input) : undefined;
  if (limit !== undefined && limit <= maxBodyBytes) return input as SendRequest;
  if (typeof input === 'object' && input !== null && 'body' in input) {
    const size = bodySize((input as { body: unknown }).body);
    if (size > maxBodyBytes) throw new MessageTooLarge(size, maxBodyBytes);
  }
  const request = parseUnknown(SendRequest, input, 'message');
  checked.set(request, maxBodyBytes);
  return request;
}

/**
 * A copy of a checked request with fields the caller validated itself (the dispatcher's
 * choice of `to`, a registered agent's name), counted as checked against the same limit.
 * The copy is new, so nobody holding the original can change what was checked.
 */
export function checkedCopy<T extends SendRequest, C extends Partial<SendRequest>>(request: T, changes: C): Omit<T, keyof C> & C {
  const copy = { ...request, ...changes };
  const limit = checked.get(request);
  if (limit !== undefined) checked.set(copy, limit);
  return copy;
}

/** Builds the message the router carries, route still to be stamped. */
export function buildMessage(
  request: SendRequest,
  defaults: { from: string; repo: string; now: number },
): Omit<RoutedMessage, 'route'> {
  return {
    id: request.id ?? newMessageId(defaults.now),
    from: defaults.from,
    to: request.to,
    repo: request.repo ?? defaults.repo,
    body: request.body,
    kind: request.kind,
    timestamp: defaults.now,
    traceId: request.traceId ?? newTraceId(),
    ...(request.ttlMs === undefined ? {} : { ttlMs: request.ttlMs }),
  };
}

/** Best-effort names of a rejected input, for its trace row. */
export function namesOf(input: unknown): { from: string; to: string; kind: string; repo?: string } {
  const record = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const text = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 128) : '?');
  return {
    from: text(record.from),
    to: text(record.to),
    kind: text(record.kind ?? 'text'),
    repo: typeof record.repo === 'string' ? record.repo.slice(0, 128) : undefined,
  };
}
