/**
 * The coordinator's configuration: a JSON file, then environment overrides, then CLI
 * arguments, each layer parsed with zod so a typo fails at start with the bad path.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { CoordinationUrl, insecureTransportProblem } from '../shared/config.js';
import { RepoName } from '../shared/domain.js';
import { parseUnknown } from '../shared/parse.js';
import { MetricsListenText } from '../core/metrics/metrics-http.js';
import { SpawnRules } from '../shared/work-model.js';

/**
 * nats.ws is our only client, so every server URL is a WebSocket URL, without
 * credentials in it: the desktop's rule (src/shared/config.ts).
 */
const WsUrl = CoordinationUrl.refine((url) => url !== '', 'use a ws:// or wss:// URL');

export const NatsSettings = z
  .object({
    servers: z.array(WsUrl).min(1),
    /** A server-wide token, or a user and password (per-user NATS users, see docs/nats.md). */
    token: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    pass: z.string().min(1).optional(),
    name: z.string().min(1).default('switchyard-coordinator'),
    /** Let `ws://` (unencrypted) reach a server that is not on this machine; as the desktop's option. */
    allowInsecureTransport: z.boolean().default(false),
  })
  .strict()
  .superRefine((nats, ctx) => {
    nats.servers.forEach((url, index) => {
      const insecure = insecureTransportProblem(url, nats.allowInsecureTransport);
      if (insecure) ctx.addIssue({ code: 'custom', path: ['servers', index], message: insecure });
    });
  });
export type NatsSettings = z.infer<typeof NatsSettings>;

/** Liveness defaults find a dead agent within 3 s × 3 + 1 s = 10 s (< 15 s). */
export const LivenessSettings = z
  .object({
    heartbeatIntervalMs: z.number().int().min(50).default(3_000),
    failureThreshold: z.number().int().min(1).max(100).default(3),
    staleAfterMs: z.number().int().min(100).default(60_000),
    retainTerminatedMs: z.number().int().min(0).default(300_000),
    sweepIntervalMs: z.number().int().min(50).default(1_000),
  })
  .strict();
export type LivenessSettings = z.infer<typeof LivenessSettings>;

export const StreamSettings = z
  .object({
    maxAgeMs: z.number().int().min(1_000).default(7 * 24 * 3_600_000),
    maxBytes: z.number().int().min(1_024).default(1024 * 1024 * 1024),
    duplicateWindowMs: z.number().int().min(1_000).default(120_000),
    /** Registry history per key: 1 keeps the bucket small; resume relies on delete markers, not history. */
    registryHistory: z.number().int().min(1).max(64).default(1),
    /**
     * Copies of every stream and bucket; absent: 3 on a cluster of three or more nodes,
     * else 1 (src/core/remote/jetstream-store.ts, docs/nats.md "A 3-node cluster").
     */
    replicas: z.number().int().min(1).max(5).optional(),
  })
  .strict();
export type StreamSettings = z.infer<typeof StreamSettings>;

export const TeamSettings = z
  .object({
    /** Folder of agent manifests (`<type>.json`, as resources/team); without it no agents run here. */
    manifestDir: z.string().min(1).optional(),
    /** Team agent types this coordinator runs in every served repo, as repo-owned remote agents. */
    agents: z.array(z.string().min(1)).default(['supervisor', 'merge-queue', 'review']),
    /** Where the agents' private registries and data live; a folder under the OS temp dir by default. */
    dataDir: z.string().min(1).optional(),
    /** The user recorded as the owner of repo-owned team agents. */
    owner: z.string().min(1).default('team'),
    maxWorkers: z.number().int().min(0).default(16),
    /**
     * How many instances of a team agent type run per repo (`{ "task-worker": 3 }` runs
     * task-worker-1 … task-worker-3); one, named after its type, when unset.
     */
    replicas: z.record(z.string().min(1), z.number().int().min(1).max(64)).default({}),
    /**
     * A checkout per served repo on this machine, for the team's coding agents (reviewer):
     * each is started on its repo's folder. Relative paths resolve against the config file.
     */
    workspaces: z.record(RepoName, z.string().min(1)).default({}),
  })
  .strict();
export type TeamSettings = z.infer<typeof TeamSettings>;

const MetadataBytes = z.number().int().min(256).max(1024 * 1024);
const AgentsPerUser = z.number().int().min(1);

/** Quotas per identity: defaults for everyone, and overrides by user (unset fields inherit the defaults). */
export const QuotaSettings = z
  .object({
    /** Largest `metadata` of one registration or spawn, as JSON, in bytes. */
    metadataBytes: MetadataBytes.default(16 * 1024),
    /** Agents one user may hold at once (not terminated, across repos; spawned workers count). */
    agentsPerUser: AgentsPerUser.default(100),
    users: z.record(z.string().min(1), z.object({ metadataBytes: MetadataBytes.optional(), agentsPerUser: AgentsPerUser.optional() }).strict()).default({}),
  })
  .strict();
export type QuotaSettings = z.infer<typeof QuotaSettings>;

/** The quota in force for one user. */
export function quotaFor(settings: QuotaSettings, user: string): { metadataBytes: number; agentsPerUser: number } {
  const own = Object.hasOwn(settings.users, user) ? settings.users[user] : undefined;
  return {
    metadataBytes: own?.metadataBytes ?? settings.metadataBytes,
    agentsPerUser: own?.agentsPerUser ?? settings.agentsPerUser,
  };
}

export const CoordinatorConfig = z
  .object({
    nats: NatsSettings,
    tokensFile: z.string().min(1),
    /** Repos served; empty serves every repo the tokens file names. */
    repos: z.array(RepoName).default([]),
    /** Require every agent a member registers to be named `<user>.<name>` (subject permissions can then fence inboxes). */
    requireUserPrefix: z.boolean().default(false),
    liveness: LivenessSettings.default(LivenessSettings.parse({})),
    stream: StreamSettings.default(StreamSettings.parse({})),
    team: TeamSettings.default(TeamSettings.parse({})),
    quotas: QuotaSettings.default(QuotaSettings.parse({})),
    /**
     * The team's spawn rules (docs/tasks.md): when more tasks wait for `type:worker` in a
     * repo's tasks bucket than a rule allows, a worker is spawned, at most `max` running.
     * The coordinator starts workers only, so every rule names type `worker`.
     */
    spawnRules: SpawnRules.refine((rules) => rules.every((rule) => rule.type === 'worker'), {
      message: 'the coordinator spawns workers only: every spawn rule names type "worker"',
    }).default([]),
    /** A name for this coordinator in logs and `$SRV.INFO`. */
    instanceName: z.string().min(1).optional(),
    /** Prometheus `/metrics` on `listen` (`host:port`, or a port on 127.0.0.1); off when absent (docs/coordinator.md). */
    metrics: z.object({ listen: MetricsListenText.optional() }).strict().default({}),
  })
  .strict();
export type CoordinatorConfig = z.infer<typeof CoordinatorConfig>;
export type CoordinatorConfigInput = z.input<typeof CoordinatorConfig>;

/** Environment variables the coordinator reads; each overrides the file. */
export const ENV = {
  config: 'SY_COORDINATOR_CONFIG',
  natsUrl: 'SY_NATS_URL',
  natsToken: 'SY_NATS_TOKEN',
  natsUser: 'SY_NATS_USER',
  natsPass: 'SY_NATS_PASS',
  tokensFile: 'SY_TOKENS_FILE',
  repos: 'SY_REPOS',
  metricsListen: 'SY_METRICS_LISTEN',
} as const;

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/**
 * Merges file, environment and overrides into one parsed config.
 *
 * Relative paths in the file (tokens file, manifest, data and workspace folders) resolve against the file's folder,
 * so a config can be moved with its neighbours.
 */
export function loadCoordinatorConfig(options: LoadOptions = {}): CoordinatorConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env[ENV.config];
  const { raw, base } = file ? readConfigFile(file) : { raw: {}, base: process.cwd() };
  const merged: Record<string, unknown> = { ...raw, nats: natsFrom(raw, env, options.overrides?.natsUrl) };
  const tokensFile = options.overrides?.tokensFile ?? env[ENV.tokensFile];
  if (tokensFile) merged.tokensFile = resolve(tokensFile);
  else if (typeof raw.tokensFile === 'string') merged.tokensFile = resolve(base, raw.tokensFile);
  const repos = options.overrides?.repos ?? env[ENV.repos];
  if (repos) merged.repos = list(repos);
  Object.assign(merged, metricsFrom(raw, env, options.overrides));
  const config = parseUnknown(CoordinatorConfig, merged, 'coordinator config');
  resolveTeamFolders(config.team, base);
  return config;
}

/** The team's folders as absolute paths, relative ones against the config file's folder. */
function resolveTeamFolders(team: TeamSettings, base: string): void {
  if (team.manifestDir) team.manifestDir = resolve(base, team.manifestDir);
  if (team.dataDir) team.dataDir = resolve(base, team.dataDir);
  for (const [repo, folder] of Object.entries(team.workspaces)) team.workspaces[repo] = resolve(base, folder);
}

type LoadOptions = { file?: string; env?: NodeJS.ProcessEnv; overrides?: Partial<Record<'natsUrl' | 'tokensFile' | 'repos' | 'metricsListen', string>> };

/** The config file's JSON and its folder (what relative paths in it resolve against). */
function readConfigFile(file: string): { raw: Record<string, unknown>; base: string } {
  try {
    return { raw: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>, base: dirname(resolve(file)) };
  } catch (error) {
    throw new Error(`cannot read the coordinator config ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** The file's `metrics` section with the flag's or variable's listen address laid over it (nothing to lay over: empty). */
function metricsFrom(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, overrides: LoadOptions['overrides']): { metrics?: Record<string, unknown> } {
  const listen = overrides?.metricsListen ?? env[ENV.metricsListen];
  return listen ? { metrics: { ...((raw.metrics as Record<string, unknown> | undefined) ?? {}), listen } } : {};
}

/** The file's `nats` section with the environment's servers and credentials laid over it. */
function natsFrom(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, natsUrlOverride: string | undefined): Record<string, unknown> {
  const nats = { ...((raw.nats as Record<string, unknown> | undefined) ?? {}) };
  const natsUrl = natsUrlOverride ?? env[ENV.natsUrl];
  if (natsUrl) nats.servers = list(natsUrl);
  if (env[ENV.natsToken]) nats.token = env[ENV.natsToken];
  if (env[ENV.natsUser]) nats.user = env[ENV.natsUser];
  if (env[ENV.natsPass]) nats.pass = env[ENV.natsPass];
  return nats;
}
