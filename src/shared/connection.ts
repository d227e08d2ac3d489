/**
 * The state of the link to the team's coordination service, as the UI shows it.
 */
import { z } from 'zod';

export const ConnectionPhase = z.enum([
  /** Hybrid mode is off: nothing to connect to. */
  'disabled',
  'connecting',
  'connected',
  'reconnecting',
  'disconnected',
  /** The server refused the credential; no retries until the config changes. */
  'auth-failed',
]);
export type ConnectionPhase = z.infer<typeof ConnectionPhase>;

export const ConnectionState = z.object({
  phase: ConnectionPhase,
  /** The server in use or last tried, without credentials. */
  server: z.string(),
  lastError: z.string().nullable(),
  /** When this phase began, epoch ms. */
  since: z.number().int().nonnegative(),
});
export type ConnectionState = z.infer<typeof ConnectionState>;
