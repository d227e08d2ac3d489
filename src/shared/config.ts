/**
 * The hybrid config: which agent types run locally or remotely, and where the team's
 * coordination service is.
 */
import { z } from 'zod';
import { AgentType, RepoName } from './domain.js';

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * A host name that can only mean this machine: `localhost` (and `*.localhost`),
 * 127.0.0.0/8, `::1`. Traffic to it never crosses a network.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  return /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * Why the API token may not be sent to this URL, or undefined when it may.
 *
 * `ws://` is clear text: the token (a NATS password) and every message would cross
 * the network readable by anyone on the path. It is allowed to loopback, where there
 * is no path, and elsewhere only when the user says so (`allowInsecureTransport`).
 * The one rule for the Settings form, the core, `connection.test` and the coordinator's
 * own server list.
 */
export function insecureTransportProblem(value: string, allowInsecureTransport: boolean): string | undefined {
  const url = parseUrl(value);
  if (!url || url.protocol !== 'ws:' || allowInsecureTransport || isLoopbackHost(url.hostname)) return undefined;
  return `ws:// is unencrypted: the token and every message would cross the network in clear. Use wss://${url.host}, or allow unencrypted connections for a server on a network you trust`;
}

/**
 * nats.ws speaks WebSocket only, so the coordination URL must be ws:// or wss://; it
 * carries no credentials (those belong in the API token, kept in the secret store, not
 * in a URL that is shown, logged and stored in the settings table).
 */
export const CoordinationUrl = z
  .string()
  .trim()
  .refine((value) => {
    if (value === '') return true;
    const url = parseUrl(value);
    return url !== undefined && (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname !== '';
  }, 'enter a ws:// or wss:// URL, for example wss://nats.example.com:443')
  .refine((value) => {
    const url = value === '' ? undefined : parseUrl(value);
    return url === undefined || (url.username === '' && url.password === '');
  }, 'the URL may not carry a user or password: remove "user:pass@" and enter the credential as the API token');

/** Two coordination URLs name the same server (scheme, host, port and path, normalised). */
export function sameCoordinationUrl(a: string, b: string): boolean {
  const left = parseUrl(a.trim());
  const right = parseUrl(b.trim());
  if (!left || !right) return a.trim() === b.trim();
  return left.href === right.href;
}

const TypeList = z.array(AgentType).max(256);

/** The stored config. The API token is kept apart, in a secret store, never here. */
export const HybridConfig = z
  .object({
    enabled: z.boolean(),
    coordinationUrl: CoordinationUrl,
    /** The repository this desktop works in: its agents' repo and its NATS scope. */
    repo: RepoName,
    /**
     * Other repositories this desktop also works in, each with its own mirror scope,
     * inbox consumers, placement and participant (docs/configuration.md, Several repos).
     * Absent means none, so configs saved before it existed still parse.
     */
    repos: z.array(RepoName).max(32).optional(),
    /**
     * Other servers of the same NATS cluster, each a coordination URL as above: the link
     * tries `coordinationUrl` first and moves to one of these when its server goes away
     * (docs/configuration.md, A cluster). Absent means none, so older configs still parse.
     */
    servers: z.array(CoordinationUrl.refine((url) => url !== '', 'enter a ws:// or wss:// URL')).max(16).optional(),
    localAgentTypes: TypeList,
    remoteAgentTypes: TypeList,
    fallbackToLocal: z.boolean(),
    /**
     * Let a `ws://` (unencrypted) URL to a host that is not this machine be used. Off by
     * default (absent means false, so configs saved before it existed still parse);
     * Settings shows it as a checkbox under the URL.
     */
    allowInsecureTransport: z.boolean().optional(),
  })
  .superRefine((config, ctx) => {
    if (config.enabled && config.coordinationUrl === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['coordinationUrl'],
        message: 'hybrid mode needs the coordination service URL',
      });
    }
    // Only an enabled config sends the token anywhere; a disabled one may keep a URL for later.
    const insecure = config.enabled ? insecureTransportProblem(config.coordinationUrl, config.allowInsecureTransport ?? false) : undefined;
    if (insecure) ctx.addIssue({ code: 'custom', path: ['coordinationUrl'], message: insecure });
    if (config.enabled) {
      (config.servers ?? []).forEach((url, index) => {
        const problem = insecureTransportProblem(url, config.allowInsecureTransport ?? false);
        if (problem) ctx.addIssue({ code: 'custom', path: ['servers', index], message: problem });
      });
    }
    const seen = new Set<string>();
    for (const [index, repo] of (config.repos ?? []).entries()) {
      if (repo === config.repo) ctx.addIssue({ code: 'custom', path: ['repos', index], message: `"${repo}" is already the primary repo` });
      else if (seen.has(repo)) ctx.addIssue({ code: 'custom', path: ['repos', index], message: `"${repo}" is listed twice` });
      seen.add(repo);
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
  repos: z.array(z.string()).optional(),
  servers: z.array(z.string()).optional(),
  localAgentTypes: z.array(z.string()),
  remoteAgentTypes: z.array(z.string()),
  fallbackToLocal: z.boolean(),
  allowInsecureTransport: z.boolean(),
  apiTokenSet: z.boolean(),
  /**
   * The token in use comes from `SWITCHYARD_API_TOKEN`, which overrides any token saved
   * here: saving or clearing one changes what is stored, not what is used.
   */
  apiTokenFromEnvironment: z.boolean(),
});
export type HybridConfigView = z.infer<typeof HybridConfigView>;

/** An API token as a caller hands it over (stored apart from the config, never shown back). */
export const ApiToken = z.string().min(1).max(4096);

/**
 * A config update from the renderer or the CLI.
 *
 * `apiToken`: absent keeps the stored token, `null` clears it, a string replaces it.
 */
export const HybridConfigUpdate = z.object({
  config: HybridConfig,
  apiToken: ApiToken.nullable().optional(),
});
export type HybridConfigUpdate = z.infer<typeof HybridConfigUpdate>;

/**
 * The environment variable whose token overrides any saved one (both hosts). Named
 * here so the core reads it and Settings names it from one place.
 */
export const API_TOKEN_ENV = 'SWITCHYARD_API_TOKEN';

/** The source's lists, used when hybrid is enabled without lists of its own. */
export const SOURCE_LOCAL_TYPES: readonly string[] = ['workspace'];
export const SOURCE_REMOTE_TYPES: readonly string[] = ['supervisor', 'merge-queue', 'worker'];

/**
 * The embedded default: hybrid disabled, everything local, no server needed.
 *
 * The source's DefaultHybridConfig says "disabled" in its comment but returns
 * Enabled: true; we follow the comment (docs/configuration.md).
 */
export function defaultHybridConfig(): HybridConfig {
  return {
    enabled: false,
    coordinationUrl: '',
    repo: 'default',
    localAgentTypes: [],
    remoteAgentTypes: [],
    fallbackToLocal: false,
    allowInsecureTransport: false,
  };
}
