/**
 * The hybrid config: which agent types run locally or remotely, and where the team's
 * coordination service is.
 */
import { z } from 'zod';
import { AgentType } from './domain.js';

/** nats.ws speaks WebSocket only, so the coordination URL must be ws:// or wss://. */
export const CoordinationUrl = z
  .string()
  .trim()
  .refine((value) => {
    if (value === '') return true;
    try {
      const url = new URL(value);
      return (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'enter a ws:// or wss:// URL, for example wss://nats.example.com:443');

const TypeList = z.array(AgentType).max(256);

/** The stored config. The API token is kept apart, in a secret store, never here. */
export const HybridConfig = z
  .object({
    enabled: z.boolean(),
    coordinationUrl: CoordinationUrl,
    /** The repository this desktop works in: its agents' repo and its NATS scope. */
    repo: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'use 1–128 characters from A–Z, a–z, 0–9, "_" and "-"'),
    localAgentTypes: TypeList,
    remoteAgentTypes: TypeList,
    fallbackToLocal: z.boolean(),
  })
  .superRefine((config, ctx) => {
    if (config.enabled && config.coordinationUrl === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['coordinationUrl'],
        message: 'hybrid mode needs the coordination service URL',
      });
    }
    const remote = new Set(config.remoteAgentTypes);
    const both = config.localAgentTypes.filter((type) => remote.has(type));
    if (both.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['remoteAgentTypes'],
        message: `a type cannot be both local and remote: ${both.join(', ')}`,
      });
    }
  });
export type HybridConfig = z.infer<typeof HybridConfig>;

/**
 * What the renderer sees of the config: everything but the token, which is write-only.
 */
export const HybridConfigView = z.object({
  enabled: z.boolean(),
  coordinationUrl: z.string(),
  repo: z.string(),
  localAgentTypes: z.array(z.string()),
  remoteAgentTypes: z.array(z.string()),
  fallbackToLocal: z.boolean(),
  apiTokenSet: z.boolean(),
});
export type HybridConfigView = z.infer<typeof HybridConfigView>;

/**
 * A config update from the renderer or the CLI.
 *
 * `apiToken`: absent keeps the stored token, `null` clears it, a string replaces it.
 */
export const HybridConfigUpdate = z.object({
  config: HybridConfig,
  apiToken: z.string().min(1).max(4096).nullable().optional(),
});
export type HybridConfigUpdate = z.infer<typeof HybridConfigUpdate>;

/** The source's lists, used when hybrid is enabled without lists of its own. */
export const SOURCE_LOCAL_TYPES: readonly string[] = ['workspace'];
export const SOURCE_REMOTE_TYPES: readonly string[] = ['supervisor', 'merge-queue', 'worker'];

/**
 * The embedded default: hybrid disabled, everything local, no server needed.
 *
 * The source's DefaultHybridConfig says "disabled" in its comment but returns
 * Enabled: true; we follow the comment (DESIGN §2).
 */
export function defaultHybridConfig(): HybridConfig {
  return {
    enabled: false,
    coordinationUrl: '',
    repo: 'default',
    localAgentTypes: [],
    remoteAgentTypes: [],
    fallbackToLocal: false,
  };
}
