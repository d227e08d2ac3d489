/**
 * Two repos in one desktop against a real nats-server and coordinator: each repo has its
 * own remote link, mirror scope and inbox consumers, so a name in one repo never reaches
 * the agent of the same name in the other; the all-repos board lists both.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import type { Desktop } from '../../../src/core/desktop/index.js';
import { createDesktop } from '../../../src/core/desktop/index.js';
import { MemorySecretStore } from '../../../src/core/settings/secret-store.js';
import type { CallName } from '../../../src/shared/contract.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
import type { ConversationEntry } from '../../../src/shared/coding-contract.js';
import { AgentManifest } from '../../../src/shared/manifest.js';
import { MESSAGE_STREAM, userInboxConsumer } from '../../../src/shared/nats-subjects.js';
import type { TracePage } from '../../../src/shared/routing-contract.js';
import type { RemoteEnv } from '../remote/remote-harness.js';
import { REPO, TOKENS, phaseOf, remoteEnv } from '../remote/remote-harness.js';
import { eventually } from '../../helpers/eventually.js';
import { ECHO_AGENT } from '../../helpers/shipped-agents.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const OTHER = 'other';
const FAST_LINK = { pingIntervalMs: 1_000, heartbeatIntervalMs: 200, reconnectTimeWaitMs: 250, reconnectJitterMs: 100 };

let env: RemoteEnv;
let desktop: Desktop | undefined;
let dir: ReturnType<typeof makeTempDir>;

beforeEach(async () => {
  env = await remoteEnv({ repos: [REPO, OTHER] });
  dir = makeTempDir('sy-desktop-');
});
afterEach(async () => {
  await desktop?.close();
  desktop = undefined;
  await env.dispose();
  dir.remove();
});

async function ok<T>(call: CallName, input?: unknown): Promise<T> {
  const result = await desktop!.call(call, input);
  if (!result.ok) throw new Error(`${call}: ${result.error.name}: ${result.error.message}`);
  return result.value as T;
}

async function traces(core: Core, agent: string): Promise<TracePage['items']> {
  return (await core.handlers['traces.query']({ agent })).items;
}

/** Bob runs `echo` in a repo, on a desktop of one repo. */
async function bobsEcho(repo: string): Promise<Core> {
  const core = await env.startCore(TOKENS.bob, { repo });
  core.localAgents.install(AgentManifest.parse({ type: 'echo', command: process.execPath, args: [ECHO_AGENT] }));
  await eventually(() => phaseOf(core) === 'connected', 15_000, `bob's ${repo} link up`);
  await core.localAgents.start('echo', 'echo');
  return core;
}

describe('a desktop with two repos on the team’s NATS', () => {
  it('mirrors and consumes each repo apart, and a name in one repo does not reach the other', async () => {
    await env.startCoordinator();
    const bobDemo = await bobsEcho(REPO);
    const bobOther = await bobsEcho(OTHER);

    desktop = await createDesktop({
      dataDir: dir.path,
      secrets: new MemorySecretStore(),
      agents: { gateway: false, builtinManifestDir: join(dir.path, 'none') },
      remote: { timing: FAST_LINK },
    });
    await ok('config.set', {
      config: { enabled: true, coordinationUrl: env.server.wsUrl, repo: REPO, repos: [OTHER], localAgentTypes: [], remoteAgentTypes: [], fallbackToLocal: false },
      apiToken: TOKENS.alice,
    });
    const other = desktop.core(OTHER)!;
    for (const core of desktop.cores()) await eventually(() => phaseOf(core) === 'connected', 15_000, `alice's ${core.config().repo} link up`);

    // Each repo's mirror holds its own repo's bob.echo, never the other's.
    const mirrored = (core: Core, repo: string) => core.registry.get({ repo, name: 'bob.echo' });
    await eventually(() => mirrored(desktop!.primary, REPO)?.location === 'remote', 15_000, 'bob.echo of demo mirrored');
    await eventually(() => mirrored(other, OTHER)?.location === 'remote', 15_000, 'bob.echo of other mirrored');
    expect(desktop.primary.registry.discover({ repo: OTHER })).toEqual([]);
    expect(other.registry.discover({ repo: REPO })).toEqual([]);
    // The all-repos board: both repos' agents, each with its repo.
    const board = await ok<AgentInfo[]>('agents.list', { text: 'echo' });
    expect(board.map((a) => `${a.repo}/${a.name}`).sort()).toEqual([`${REPO}/bob.echo`, `${OTHER}/bob.echo`]);

    // Each repo has its own inbox consumer for alice on the message stream.
    const nc = await env.connect(TOKENS.coordinator);
    const jsm = await nc.jetstreamManager();
    const durables = async (): Promise<string[]> => (await jsm.consumers.list(MESSAGE_STREAM).next()).map((c) => c.name);
    await eventually(async () => {
      const names = await durables();
      return names.includes(userInboxConsumer(REPO, 'alice').durable) && names.includes(userInboxConsumer(OTHER, 'alice').durable);
    }, 15_000, "alice's inbox consumers in both repos");

    // The person sends to bob.echo in `other`: only bob's echo in `other` gets it, and its
    // answer comes back to the person in `other` through that repo's consumer.
    const heard: ConversationEntry[] = [];
    desktop.on('conversation.appended', ({ entries }) => heard.push(...entries));
    const sent = await ok<{ messageId: string; status: string }>('messages.send', { to: 'bob.echo', repo: OTHER, body: 'for other' });
    expect(sent.status).toBe('published');
    const answer = await eventually(() => heard.find((e) => e.direction === 'in' && e.peer === 'bob.echo'), 20_000, "other echo's answer");
    expect(answer).toMatchObject({ repo: OTHER, body: { echo: 'for other', inReplyTo: sent.messageId } });
    expect((await traces(bobOther, 'echo')).map((t) => t.messageId)).toContain(sent.messageId);
    expect((await traces(bobDemo, 'echo')).map((t) => t.messageId)).not.toContain(sent.messageId);
    // Alice's demo core never traced it: the send and its answer are the other repo's.
    expect((await traces(desktop.primary, 'bob.echo')).map((t) => t.messageId)).not.toContain(sent.messageId);
    expect(heard.filter((e) => e.repo === REPO)).toEqual([]);
  }, 90_000);
});
