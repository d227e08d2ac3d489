/**
 * Receipts: the receiving side of a message reports received / delivered / answered /
 * rejected back to its sender over NATS (docs/routing.md, Receipts).
 */
export { Receipts } from './receipts.js';
export type { ReceiptStats, ReceiptsOptions } from './receipts.js';
export type { ReceiptRoute } from './receipt-reporter.js';
export { RECEIPT_BATCH_DEFAULTS } from './receipt-batcher.js';
