/**
 * Desired state: the agents the user wants running (started again at launch), where
 * `agents.start` runs them, and the per-repo autostart types.
 */
export { DesiredAgents } from './desired-store.js';
export type { DesiredAgent } from './desired-store.js';
export { desiredHandlers } from './desired-handlers.js';
export type { DesiredCallName, DesiredHandlerDeps } from './desired-handlers.js';
export { resumeDesired } from './resume.js';
export { startRemote, MIRROR_WAIT_MS } from './remote-start.js';
