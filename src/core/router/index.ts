/**
 * Message routing: the router and its contract handlers, plus the inbound pieces the
 * coordinator reuses to host its own agents (durable inbox consumers, the receiver's
 * ledger, the sender check, publishing to an inbox).
 */
export { createRouting } from './routing-service.js';
export type { MessageStage, Routing, RoutingCallName, RoutingOptions, RoutingProblem } from './routing-service.js';
export { InboundConsumers } from './inbound-consumers.js';
export type { HostedInbox } from './inbound-consumers.js';
export { InboundLedger, LEDGER_RETENTION_MS } from './inbound-ledger.js';
export { senderRefusal } from './sender-check.js';
export type { SenderPolicy } from './sender-check.js';
export { buildMessage, newMessageId } from './message-input.js';
// The pure dispatch rules, for the coordinator's dispatch of its own agents' role sends (src/server/team-dispatch.ts).
export { chooseInstance } from './role-selection.js';
export type { RoleCandidate, RoleContext } from './role-selection.js';
export { WorkloadLedger, taskIdOf } from './workload.js';
export type { SendRequest } from './message-input.js';
export { publishToInbox } from './nats-publisher.js';
export { traceparentFor } from './trace-context.js';
