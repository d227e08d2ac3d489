/**
 * Receipts: what the receiving side of a message (another desktop, or the coordinator)
 * tells its sender over NATS, so the sender's trace follows the message across machines.
 *
 * One NATS message carries a batch: every receipt one host had for one sender in one
 * tick. The payload is parsed with these schemas (strict: an unknown field is refused)
 * after the JSON limits below; docs/nats.md (Receipts) and docs/routing.md (Receipts)
 * say who may publish what and how a sender checks it.
 */
import { z } from 'zod';
import type { JsonLimits } from './json-limits.js';
import { MessageId, Timestamp } from './domain.js';

/** What happened to the message on the receiving side. */
export const ReceiptEvent = z.enum(['received', 'delivered', 'answered', 'rejected']);
export type ReceiptEvent = z.infer<typeof ReceiptEvent>;

/** Which kind of host reports: another member's desktop or the team's coordinator. */
export const ReceiptHost = z.enum(['desktop', 'coordinator']);
export type ReceiptHost = z.infer<typeof ReceiptHost>;

/** The most receipts one batch may carry; a host with more sends several batches. */
export const MAX_RECEIPTS_PER_BATCH = 256;

export const Receipt = z
  .object({
    messageId: MessageId,
    event: ReceiptEvent,
    /** When it happened, on the reporting host's clock (epoch ms). */
    at: Timestamp,
    /** The reason of a rejection; the answer's message id of `answered`. */
    detail: z.string().max(512).optional(),
  })
  .strict();
export type Receipt = z.infer<typeof Receipt>;

export const ReceiptBatch = z
  .object({
    v: z.literal(1),
    host: ReceiptHost,
    /** When the batch left the reporting host, on its clock: the sender estimates the clock offset from it. */
    sentAt: Timestamp,
    receipts: z.array(Receipt).min(1).max(MAX_RECEIPTS_PER_BATCH),
  })
  .strict();
export type ReceiptBatch = z.infer<typeof ReceiptBatch>;

/** 256 receipts of a few hundred bytes each fit well inside; nothing in a batch nests deeper than 3. */
export const RECEIPT_JSON_LIMITS: JsonLimits = { maxBytes: 256 * 1024, maxDepth: 4 };
