/**
 * The desktop's remote link: the NATS connection, the registry mirror and the local
 * agents' registrations with the team's coordinator.
 */
export { startRemoteLink, DEFAULT_TIMING } from './remote-link.js';
export type { RemoteLink, RemoteLinkOptions, LinkTiming } from './remote-link.js';
export { RemoteLinkSwitch } from './link-switch.js';
export type { LinkSettings } from './link-switch.js';
export { desktopIdOf } from './desktop-id.js';
export { coordinatorRequest, CoordinatorError } from './coordinator-client.js';
export { connectWs, displayServer, natsAuthOf } from './nats-ws.js';
export type { LinkProblem } from './link-problems.js';
export { ensureKvBucket, ensureStream, wantedReplicas, readyJetStream } from './jetstream-store.js';
export type { ReplicaOptions, StoreLog } from './jetstream-store.js';
