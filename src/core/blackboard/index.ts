/**
 * The blackboard (docs/blackboard.md): the write rules and the KV envelope, shared with
 * the coordinator, and the desktop's board behind the `context.*` calls.
 */
export { assertMayWrite, personWriter } from './write-rules.js';
export type { ContextWriter, TaskParties, WriteRuleLookups } from './write-rules.js';
export { assertValueSize, encodeEnvelope, entryOfKv, isLive, COORDINATOR_WRITER } from './kv-envelope.js';
export { Blackboard, LOCAL_SWEEP_WRITER, contextHandlers } from './blackboard.js';
export type { BlackboardOptions } from './blackboard.js';
