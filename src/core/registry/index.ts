/**
 * The agent registry: one SQLite store of local and mirrored remote agents, and the
 * interface the rest of the core depends on instead of the store.
 */
export { createSqliteRegistry } from './sqlite-registry.js';
export type { SqliteRegistry, SqliteRegistryOptions } from './sqlite-registry.js';
export type { AgentRegistry, LivenessPolicy, RegistrationInput } from './types.js';
export { RemoteRecord } from './registry-input.js';
export { isLive } from './selection.js';
export { repoView } from './repo-view.js';
