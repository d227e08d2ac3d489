/**
 * A desktop of several repos: one core per repo behind the one contract.
 *
 * The primary repo (the config's `repo`) keeps its core in the data folder as before;
 * each other repo of the config's `repos` gets a core of its own in
 * `<dataDir>/repos/<repo>/`: its own database (registry mirror, traces, outbox,
 * conversations), remote link (mirror scope `<repo>.>`, inbox consumers), placement,
 * person endpoint, supervised agents and local gateway. Nothing is shared but the
 * secret store, the user's manifests and the config, so two repos cannot see or reach
 * each other's agents. docs/configuration.md (Several repos) and docs/architecture.md.
 */
import { join } from 'node:path';
import type { HybridConfig } from '../../shared/config.js';
import type { CallName, EventName, EventPayload, Result } from '../../shared/contract.js';
import { callNames } from '../../shared/contract.js';
import { ValidationError } from '../../shared/errors.js';
import type { RepoView } from '../../shared/work-contract.js';
import type { Core, CoreOptions } from '../core.js';
import { createCore } from '../core.js';
import type { Handlers } from '../dispatch.js';
import { dispatch } from '../dispatch.js';
import { EventHub } from '../events.js';
import { ensurePrivateDir } from '../private-files.js';
import { repoView } from '../registry/index.js';
import { FileSecretStore } from '../settings/secret-store.js';
import { REPO_BOUND_CALLS, isFoundCall, isMergedCall, repoNamedBy } from './call-scope.js';
import { EventRelay } from './event-relay.js';
import { findInCores, mergeFromCores } from './scoped-calls.js';

/** The folder under the data folder that holds the other repos' cores. */
export const REPOS_DIR = 'repos';

export type DesktopOptions = Omit<CoreOptions, 'config'>;

export interface Desktop {
  readonly dataDir: string;
  /** The core of the config's `repo`: settings, the link state, calls without a repo. */
  readonly primary: Core;
  /** Every repo's core, the primary first. */
  cores(): Core[];
  /** The core of one of the desktop's repos. */
  core(repo: string): Core | undefined;
  readonly handlers: Handlers;
  /** Runs one contract call from an untrusted sender. */
  call(call: unknown, input: unknown): Promise<Result<unknown>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Closes every repo's core (their agents stopped first, as one core's close does). */
  close(): Promise<void>;
}

/** The config a repo core follows: the primary's, with its own repo and no list of others. */
function followerConfig(config: HybridConfig, repo: string): HybridConfig {
  const { repos: _others, ...rest } = config;
  return { ...rest, repo };
}

/** The other repos a config names, without the primary or repeats, in order. */
export function otherRepos(config: HybridConfig): string[] {
  return [...new Set(config.repos ?? [])].filter((repo) => repo !== config.repo);
}

export async function createDesktop(options: DesktopOptions): Promise<Desktop> {
  // One token for every repo: the person's credential with the team, not a repo's.
  const secrets = options.secrets ?? new FileSecretStore(join(options.dataDir, 'api-token'), options.env);
  const primary = await createCore({ ...options, secrets });
  const hub = new EventHub();
  const relay = new EventRelay(hub);
  const others = new Map<string, Core>();
  await relay.attach(primary, true);

  const repoCoreOptions = (repo: string): CoreOptions => {
    const gateway = options.agents?.gateway;
    return {
      ...options,
      dataDir: join(options.dataDir, REPOS_DIR, repo),
      secrets,
      config: followerConfig(primary.config(), repo),
      // One /metrics per desktop, the primary's: another core would bind the same port.
      metricsPort: false,
      agents: {
        ...options.agents,
        // Manifests are the person's, installed once for every repo.
        userManifestDir: options.agents?.userManifestDir ?? join(options.dataDir, 'agents'),
        // A gateway per repo, each on a free port: a fixed port belongs to the primary's.
        gateway: gateway === false ? false : { ...gateway, port: 0 },
      },
    };
  };

  /** Brings the repo cores in line with the primary's config: adds, removes, re-follows. */
  const syncRepos = async (): Promise<void> => {
    const config = primary.config();
    const wanted = otherRepos(config);
    for (const [repo, core] of others) {
      if (wanted.includes(repo)) continue;
      others.delete(repo);
      relay.detach(core);
      await core.close();
    }
    for (const repo of wanted) {
      const held = others.get(repo);
      if (held) {
        held.adopt(followerConfig(config, repo));
        continue;
      }
      ensurePrivateDir(join(options.dataDir, REPOS_DIR));
      const core = await createCore(repoCoreOptions(repo));
      others.set(repo, core);
      await relay.attach(core, false);
    }
  };
  // Config changes come one at a time, so two saves cannot start the same repo twice.
  let syncing: Promise<void> = Promise.resolve();
  const sync = (): Promise<void> => (syncing = syncing.then(syncRepos, syncRepos));
  try {
    await sync();
  } catch (error) {
    for (const core of others.values()) await core.close().catch(() => undefined);
    await primary.close();
    throw error;
  }

  const cores = (): Core[] => [primary, ...others.values()];
  const coreOf = (repo: string): Core | undefined => (repo === primary.config().repo ? primary : others.get(repo));
  const run = (core: Core, call: CallName, input: unknown): unknown => (core.handlers[call] as (input: unknown) => unknown)(input);

  const route = (call: CallName) => async (input: unknown): Promise<unknown> => {
    const repo = repoNamedBy(call, input);
    if (repo !== undefined) {
      const core = coreOf(repo);
      if (core) return run(core, call, input);
      if (REPO_BOUND_CALLS.has(call)) {
        throw new ValidationError(`input of ${call}`, [
          { path: 'repo', message: `this desktop does not work in repo "${repo}": add it to the repos in Settings` },
        ]);
      }
      // As a desktop of one repo always did: the primary answers (an empty list, a send by NATS).
      return run(primary, call, input);
    }
    if (others.size === 0) return run(primary, call, input);
    if (isMergedCall(call)) return mergeFromCores(cores(), call, input);
    if (isFoundCall(call)) return findInCores(cores(), call, input);
    return run(primary, call, input);
  };

  const handlers = Object.fromEntries(callNames.map((call) => [call, route(call)])) as Record<CallName, (input: unknown) => unknown>;
  handlers['config.set'] = async (input) => {
    const view = await run(primary, 'config.set', input);
    await sync();
    return view;
  };
  handlers['repos.list'] = (): RepoView[] => cores().map((core) => repoView(core.registry, core.config().repo, core === primary));

  let closed = false;
  return {
    dataDir: options.dataDir,
    primary,
    cores,
    core: coreOf,
    handlers: handlers as unknown as Handlers,
    call: (call, input) => dispatch(handlers as unknown as Handlers, call, input),
    on: (event, listener) => hub.on(event, listener),
    async close() {
      if (closed) return;
      closed = true;
      await syncing.catch(() => undefined);
      for (const core of others.values()) await core.close();
      await primary.close();
    },
  };
}
