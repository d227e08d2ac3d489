/**
 * Two repos in one desktop, on this machine: each repo's agents, gateway, messages and
 * traces stay in its own core, and an unfiltered list (the all-repos board) shows both.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Desktop } from '../../../src/core/desktop/index.js';
import { createDesktop } from '../../../src/core/desktop/index.js';
import { MemorySecretStore } from '../../../src/core/settings/secret-store.js';
import type { CallName, EventPayload } from '../../../src/shared/contract.js';
import type { AgentInfo } from '../../../src/shared/domain.js';
import type { ConversationEntry } from '../../../src/shared/coding-contract.js';
import type { TracePage } from '../../../src/shared/routing-contract.js';
import { AgentManifest } from '../../../src/shared/manifest.js';
import { eventually } from '../../helpers/eventually.js';
import { ECHO_AGENT } from '../../helpers/shipped-agents.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { FAST_TIMINGS, GatewayClient, isAlive } from '../agents/helpers.js';

const ALPHA = 'alpha';
const BETA = 'beta';

let dir: ReturnType<typeof makeTempDir>;
let desktop: Desktop;

async function ok<T>(call: CallName, input?: unknown): Promise<T> {
  const result = await desktop.call(call, input);
  if (!result.ok) throw new Error(`${call}: ${result.error.name}: ${result.error.message}`);
  return result.value as T;
}

const names = (agents: AgentInfo[]): string[] => agents.map((a) => `${a.repo}/${a.name}`).sort();

/** The pid of a supervised agent's process, once it runs. */
function pidOf(repo: string, name: string): Promise<number> {
  return eventually(() => {
    const supervision = desktop.core(repo)?.registry.get({ repo, name })?.metadata.supervision as { pid?: number | null } | undefined;
    return supervision?.pid ?? undefined;
  }, 10_000, `${repo}/${name} running`);
}

async function setRepos(repos: string[]): Promise<void> {
  await ok('config.set', {
    config: { enabled: false, coordinationUrl: '', repo: ALPHA, repos, localAgentTypes: [], remoteAgentTypes: [], fallbackToLocal: false },
  });
}

beforeEach(async () => {
  dir = makeTempDir('sy-desktop-');
  desktop = await createDesktop({
    dataDir: dir.path,
    secrets: new MemorySecretStore(),
    agents: { builtinManifestDir: join(dir.path, 'none'), timings: FAST_TIMINGS },
  });
  desktop.primary.localAgents.install(AgentManifest.parse({ type: 'echo', command: process.execPath, args: [ECHO_AGENT] }));
  await setRepos([BETA]);
});
afterEach(async () => {
  await desktop.close();
  dir.remove();
});

describe('a desktop with two repos', () => {
  it('keeps each repo’s agents, messages and traces apart, and lists both on the all-repos board', async () => {
    expect(await ok('repos.list')).toEqual([
      { repo: ALPHA, primary: true, agents: 1 },
      { repo: BETA, primary: false, agents: 1 },
    ]);
    // The same name in both repos: two agents, two processes, one per repo's core.
    const inAlpha = await ok<AgentInfo>('agents.start', { type: 'echo', name: 'echo' });
    const inBeta = await ok<AgentInfo>('agents.start', { type: 'echo', name: 'echo', repo: BETA });
    expect([inAlpha.repo, inBeta.repo]).toEqual([ALPHA, BETA]);
    const alphaPid = await pidOf(ALPHA, 'echo');
    const betaPid = await pidOf(BETA, 'echo');
    expect(alphaPid).not.toBe(betaPid);

    // A repo's scope shows its own agents only; the board shows both repos' (with their person).
    expect(names(await ok('agents.list', { repo: ALPHA }))).toEqual(['alpha/echo', 'alpha/user']);
    expect(names(await ok('agents.list', { repo: BETA }))).toEqual(['beta/echo', 'beta/user']);
    expect(names(await ok('agents.list'))).toEqual(['alpha/echo', 'alpha/user', 'beta/echo', 'beta/user']);
    expect(names(await ok('agents.list', { sort: 'name', limit: 3 }))).toEqual(['alpha/echo', 'alpha/user', 'beta/echo']);
    expect(await ok<AgentInfo | null>('agents.get', { repo: BETA, name: 'echo' })).toMatchObject({ repo: BETA });

    // A message to `echo` in beta reaches beta's echo only; its answer comes to the person in beta.
    const heard: ConversationEntry[] = [];
    desktop.on('conversation.appended', ({ entries }) => heard.push(...entries));
    const sent = await ok<{ messageId: string; status: string }>('messages.send', { to: 'echo', repo: BETA, body: 'for beta' });
    expect(sent.status).toBe('delivered');
    const answer = await eventually(() => heard.find((e) => e.direction === 'in' && e.peer === 'echo'), 10_000, "beta echo's answer");
    expect(answer).toMatchObject({ repo: BETA, body: { echo: 'for beta', inReplyTo: sent.messageId } });
    // Only beta's core traced it; alpha's echo never saw it.
    const betaTraces = (await desktop.core(BETA)!.call('traces.query', { agent: 'echo' })).ok;
    expect(betaTraces).toBe(true);
    const alphaPage = await desktop.primary.handlers['traces.query']({ agent: 'echo' });
    expect(alphaPage.items).toEqual([]);
    expect(desktop.primary.localAgents.logs('echo').some((entry) => entry.text.includes('for beta'))).toBe(false);
    // The board's traces list and a trace look-up without a repo find it in beta's core.
    const board = await ok<TracePage>('traces.query', {});
    expect(board.items.map((t) => [t.repo, t.to])).toContainEqual([BETA, 'echo']);
    expect(await ok('traces.get', { id: sent.messageId })).toMatchObject({ summary: { repo: BETA, to: 'echo' } });

    // Stopping beta's echo leaves alpha's running; a repo the desktop does not work in is refused.
    await ok('agents.stop', { name: 'echo', repo: BETA });
    expect(isAlive(betaPid)).toBe(false);
    expect(isAlive(alphaPid)).toBe(true);
    const refused = await desktop.call('agents.stop', { name: 'echo', repo: 'gamma' });
    expect(refused).toMatchObject({ ok: false, error: { name: 'ValidationError', issues: [{ path: 'repo' }] } });
    expect(isAlive(alphaPid)).toBe(true);
  }, 30_000);

  it('gives each repo its own gateway: an external agent registers in the repo whose gateway it joined', async () => {
    const alphaGateway = desktop.primary.localAgents.gateway!;
    const betaGateway = desktop.core(BETA)!.localAgents.gateway!;
    expect(betaGateway.port).not.toBe(alphaGateway.port);
    expect(betaGateway.tokenFile).toBe(join(dir.path, 'repos', BETA, 'gateway-token'));
    const token = readFileSync(betaGateway.tokenFile, 'utf8').trim();
    // Alpha's token does not open beta's gateway.
    const alphaToken = readFileSync(alphaGateway.tokenFile, 'utf8').trim();
    await expect(GatewayClient.connect(betaGateway.url, { token: alphaToken })).rejects.toThrow('HTTP 401');

    const client = await GatewayClient.connect(betaGateway.url, { token });
    client.send({ type: 'hello', protocol: 1, name: 'ide', agentType: 'workspace', instanceId: 'ide-1' });
    await client.next('welcome');
    expect(names(await ok('agents.list', { repo: BETA }))).toContain('beta/ide');
    expect(names(await ok('agents.list', { repo: ALPHA }))).not.toContain('alpha/ide');
    await client.close();
  });

  it('adds and removes a repo live with config.set: its agents stop and leave the board', async () => {
    await setRepos([BETA, 'gamma']);
    expect((await ok<Array<{ repo: string }>>('repos.list')).map((r) => r.repo)).toEqual([ALPHA, BETA, 'gamma']);
    await ok<AgentInfo>('agents.start', { type: 'echo', name: 'echo', repo: 'gamma' });
    const gammaPid = await pidOf('gamma', 'echo');
    expect(existsSync(join(dir.path, 'repos', 'gamma', 'switchyard.db'))).toBe(true);

    const changes: Array<EventPayload<'agents.changed'>> = [];
    desktop.on('agents.changed', (batch) => changes.push(batch));
    await setRepos([BETA]);
    expect((await ok<Array<{ repo: string }>>('repos.list')).map((r) => r.repo)).toEqual([ALPHA, BETA]);
    expect(isAlive(gammaPid)).toBe(false);
    expect(names(await ok('agents.list'))).toEqual(['alpha/user', 'beta/user']);
    expect(changes.flatMap((c) => c.removals)).toContainEqual({ repo: 'gamma', name: 'echo' });
    // Its calls are refused now, not answered by the primary.
    expect(await desktop.call('agents.start', { type: 'echo', repo: 'gamma' })).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
  }, 30_000);

  it('refuses a config that lists the primary repo or a repo twice, and changes nothing', async () => {
    const result = await desktop.call('config.set', {
      config: { enabled: false, coordinationUrl: '', repo: ALPHA, repos: [BETA, ALPHA, BETA], localAgentTypes: [], remoteAgentTypes: [], fallbackToLocal: false },
    });
    expect(result).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
    expect(!result.ok && result.error.issues?.map((i) => i.path)).toEqual(['config.repos.1', 'config.repos.2']);
    expect((await ok<Array<{ repo: string }>>('repos.list')).map((r) => r.repo)).toEqual([ALPHA, BETA]);
  });
});
