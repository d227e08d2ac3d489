/**
 * Shared set-up for the remote tests: a nats-server with per-user NATS users holding
 * exactly the permissions docs/nats.md documents (src/server/nats-permissions.ts), a
 * tokens file, coordinators and desktop cores.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NatsConnection } from 'nats.ws';
import { AckPolicy, DeliverPolicy } from 'nats.ws';
import type { Core, CoreOptions } from '../../../src/core/core.js';
import type { ConnectionState } from '../../../src/shared/connection.js';
import { createCore } from '../../../src/core/core.js';
import { connectWs, natsAuthOf, natsUserOf } from '../../../src/core/remote/nats-ws.js';
import type { LinkTiming } from '../../../src/core/remote/remote-link.js';
import { MemorySecretStore } from '../../../src/core/settings/secret-store.js';
import type { CoordinatorConfigInput } from '../../../src/server/config.js';
import { CoordinatorConfig } from '../../../src/server/config.js';
import type { Coordinator } from '../../../src/server/coordinator.js';
import { startCoordinator } from '../../../src/server/coordinator.js';
import { memoryLogger } from '../../../src/server/log.js';
import { TeamRunner } from '../../../src/server/team-runner.js';
import type { NatsServerHandle } from '../../helpers/nats-server.js';
import { startNatsServer } from '../../helpers/nats-server.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { newMessageId } from '../../../src/core/router/message-input.js';
import { publishToInbox } from '../../../src/core/router/nats-publisher.js';
import { newTraceId, traceparentFor } from '../../../src/core/router/trace-context.js';
import type { RoutedMessage } from '../../../src/shared/domain.js';
import type { NatsUser } from '../../../src/server/nats-permissions.js';
import { MESSAGE_STREAM, subjects, userInboxConsumer } from '../../../src/shared/nats-subjects.js';

/** API tokens in the `user:secret` form: the NATS user and the coordinator identity in one. */
export const TOKENS = {
  admin: 'ada:admin-secret-1',
  alice: 'alice:alice-secret-1',
  bob: 'bob:bob-secret-1',
  coordinator: 'sy-coordinator:coord-secret-1',
} as const;

export const REPO = 'demo';
export const TEAM_DIR = fileURLToPath(new URL('../../../resources/team', import.meta.url));

/** The NATS users of the tokens, each with its role's documented permissions in `repos`. */
export function natsUsers(repos: readonly string[] = [REPO]): NatsUser[] {
  return [
    { ...credential(TOKENS.coordinator), role: 'coordinator' },
    { ...credential(TOKENS.admin), role: 'admin', repos: [...repos] },
    { ...credential(TOKENS.alice), role: 'member', repos: [...repos] },
    { ...credential(TOKENS.bob), role: 'member', repos: [...repos] },
  ];
}
export const NATS_USERS: NatsUser[] = natsUsers();

function credential(token: string): { user: string; password: string } {
  const [user, password] = token.split(':') as [string, string];
  return { user, password };
}

export interface RemoteEnv {
  server: NatsServerHandle;
  dir: string;
  tokensFile: string;
  coordinators: Coordinator[];
  cores: Core[];
  connections: NatsConnection[];
  logs: string[];
  startCoordinator(overrides?: Partial<CoordinatorConfigInput>, options?: { team?: boolean }): Promise<Coordinator>;
  /** `beforeConnect` sees the core before its hybrid config is set, e.g. to listen from the first phase. */
  /** `builtinManifestDir`: the shipped manifests to load (none by default). */
  startCore(
    token: string,
    options?: { repo?: string; timing?: Partial<LinkTiming>; beforeConnect?: (core: Core) => void; builtinManifestDir?: string; problems?: CoreOptions['problems'] },
  ): Promise<Core>;
  connect(token: string): Promise<NatsConnection>;
  dispose(): Promise<void>;
}

/** Short liveness and link timings so tests finish in seconds. */
export const FAST_LIVENESS = {
  heartbeatIntervalMs: 300,
  failureThreshold: 3,
  staleAfterMs: 5_000,
  retainTerminatedMs: 5_000,
  sweepIntervalMs: 100,
};

/** `repos`: the repos the coordinator serves and the members may use; REPO alone by default. */
export async function remoteEnv(options: { repos?: readonly string[] } = {}): Promise<RemoteEnv> {
  const repos = options.repos ?? [REPO];
  const temp = makeTempDir('sy-remote-');
  const server = await startNatsServer({ users: natsUsers(repos) });
  const tokensFile = join(temp.path, 'tokens.json');
  writeFileSync(
    tokensFile,
    JSON.stringify({
      [TOKENS.admin]: { user: 'ada', role: 'admin', repos: ['*'] },
      [TOKENS.alice]: { user: 'alice', role: 'member', repos: [...repos] },
      [TOKENS.bob]: { user: 'bob', role: 'member', repos: [...repos] },
    }),
  );
  const logs: string[] = [];
  const env: RemoteEnv = {
    server,
    dir: temp.path,
    tokensFile,
    coordinators: [],
    cores: [],
    connections: [],
    logs,
    async startCoordinator(overrides = {}, options = {}) {
      const log = memoryLogger(logs);
      const config = CoordinatorConfig.parse({
        nats: { servers: [server.wsUrl], user: 'sy-coordinator', pass: 'coord-secret-1' },
        tokensFile,
        repos: [...repos],
        liveness: FAST_LIVENESS,
        // The test server's JetStream has 256 MB of file store.
        stream: { maxBytes: 32 * 1024 * 1024 },
        ...(options.team ? { team: { manifestDir: TEAM_DIR } } : {}),
        ...overrides,
      });
      // As main.ts builds it; its data folder is teamDataDir(env, index).
      const runner = options.team
        ? new TeamRunner({ dataDir: teamDataDir(env, env.coordinators.length), manifestDir: TEAM_DIR, owner: 'team', workspaces: config.team.workspaces, log })
        : undefined;
      const coordinator = await startCoordinator(config, { log, runner });
      runner?.useSpawner((repo, from, task) => coordinator.spawnAsTeam(repo, from, task));
      env.coordinators.push(coordinator);
      return coordinator;
    },
    async startCore(token, options = {}) {
      const dir = makeTempDir('sy-core-');
      const core = await createCore({
        dataDir: dir.path,
        secrets: new MemorySecretStore(),
        agents: { gateway: false, builtinManifestDir: options.builtinManifestDir ?? join(dir.path, 'none') },
        ...(options.problems ? { problems: options.problems } : {}),
        remote: {
          timing: options.timing ?? { pingIntervalMs: 1_000, heartbeatIntervalMs: 200, reconnectTimeWaitMs: 250, reconnectJitterMs: 100 },
        },
      });
      const close = core.close.bind(core);
      (core as { close: () => Promise<void> }).close = async () => {
        await close();
        dir.remove();
      };
      env.cores.push(core);
      options.beforeConnect?.(core);
      const result = await core.call('config.set', {
        config: {
          enabled: true,
          coordinationUrl: server.wsUrl,
          repo: options.repo ?? REPO,
          localAgentTypes: [],
          remoteAgentTypes: [],
          fallbackToLocal: false,
        },
        apiToken: token,
      });
      if (!result.ok) throw new Error(result.error.message);
      return core;
    },
    async connect(token) {
      const user = token === TOKENS.coordinator ? undefined : natsUserOf(token);
      // A member may only receive replies under its own prefix, as the desktop sets it.
      const nc = await connectWs({ servers: [server.wsUrl], ...natsAuthOf(token), ...(user ? { inboxPrefix: `_INBOX_${user}` } : {}) });
      env.connections.push(nc);
      return nc;
    },
    async dispose() {
      for (const nc of env.connections) await nc.close().catch(() => undefined);
      for (const core of env.cores) await core.close().catch(() => undefined);
      for (const coordinator of env.coordinators) await coordinator.close().catch(() => undefined);
      await server.dispose();
      temp.remove();
    },
  };
  return env;
}

/** The data folder of the team runner of the env's `index`-th coordinator (its repo's user manifests are in `<it>/<repo>/agents`). */
export function teamDataDir(env: Pick<RemoteEnv, 'dir'>, index: number): string {
  return join(env.dir, `team-${index}`);
}

/** Registers a local agent in a core's registry, as the supervisor or gateway would. */
export function addLocalAgent(core: Core, name: string, type = 'workspace', owner = 'me') {
  return core.registry.register({
    name,
    type,
    location: 'local',
    repo: REPO,
    owner,
    instanceId: `inst-${name}-${Math.random().toString(36).slice(2, 8)}`,
  });
}

/** The connection state a core reports to the UI. */
export function stateOf(core: Core): ConnectionState {
  return core.handlers['connection.get']() as ConnectionState;
}

export function phaseOf(core: Core): ConnectionState['phase'] {
  return stateOf(core).phase;
}

/** Collects every message published to an agent's inbox subject, whoever sent it (needs the coordinator's rights). */
export function inboxOf(nc: NatsConnection, name: string): RoutedMessage[] {
  const received: RoutedMessage[] = [];
  const sub = nc.subscribe(subjects.agentInbox(REPO, name));
  void (async () => {
    for await (const msg of sub) received.push(msg.json<RoutedMessage>());
  })();
  return received;
}

/**
 * Reads every message for a member's agents (`<user>.*`) through the one consumer its
 * permissions allow, acking each, as a member's desktop does.
 */
export async function memberInbox(nc: NatsConnection, user: string): Promise<RoutedMessage[]> {
  const received: RoutedMessage[] = [];
  const spec = userInboxConsumer(REPO, user);
  const jsm = await nc.jetstreamManager();
  await jsm.consumers.add(MESSAGE_STREAM, { durable_name: spec.durable, filter_subject: spec.filter, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All });
  const messages = await (await nc.jetstream().consumers.get(MESSAGE_STREAM, spec.durable)).consume();
  void (async () => {
    for await (const msg of messages) {
      received.push(msg.json<RoutedMessage>());
      msg.ack();
    }
  })();
  return received;
}

/**
 * Publishes a message to an agent's inbox on JetStream, as a desktop's router would:
 * under the connection's NATS user as sender token (`sender`), which must own `from`.
 */
export async function sendToInbox(
  nc: NatsConnection,
  from: string,
  to: string,
  body: unknown,
  kind: RoutedMessage['kind'] = 'text',
  sender = from.split('.')[0]!,
): Promise<RoutedMessage> {
  const now = Date.now();
  const message: RoutedMessage = {
    id: newMessageId(now),
    from,
    to,
    repo: REPO,
    body: body as RoutedMessage['body'],
    kind,
    timestamp: now,
    route: { sourceLocation: 'local', destLocation: 'remote', routedVia: 'nats', routedAt: now },
    traceId: newTraceId(),
  };
  await publishToInbox(nc, message, traceparentFor(message.traceId), 5_000, sender);
  return message;
}
