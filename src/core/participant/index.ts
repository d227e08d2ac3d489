/**
 * The person at the desktop as a participant: their endpoint, conversations, approvals
 * and usage (participant.ts), and the contract handlers core.ts spreads into its table.
 */
export { Participant, DEFAULT_CONVERSATION_LIMIT } from './participant.js';
export type { ParticipantCallName, ParticipantOptions } from './participant.js';
export { summarise, utcDay } from './usage-summary.js';
