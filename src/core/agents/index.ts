/**
 * Local agents: the supervisor, the gateway behind one facade, and their contract
 * handlers.
 */
export { createLocalAgents } from './local-agents.js';
export type { GatewayInfo, GatewaySettings, LocalAgents, LocalAgentsOptions, OutboundEvent } from './local-agents.js';
export { agentHandlers } from './agent-handlers.js';
export type { AgentCallName } from './agent-handlers.js';
export { wireLocalDelivery, localMessage } from './local-delivery.js';
export { DEFAULT_SUPERVISOR_TIMINGS } from './supervisor.js';
export { ENDPOINT_HEARTBEAT_MS } from './in-process-endpoints.js';
export type { AttachedEndpoint, EndpointSpec } from './in-process-endpoints.js';
export type { SupervisorTimings } from './supervision-types.js';
export type { StartSettings } from './agent-handshake.js';
export { settingsOf } from './stale-rows.js';
export type { ContextPort } from './agent-context.js';
