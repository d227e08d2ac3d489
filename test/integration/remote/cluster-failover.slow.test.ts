/**
 * The 3-node cluster keeps a team working through node failures: two coordinators and
 * two desktop cores on a real cluster (R3 streams and buckets), a conversation between
 * the desktops' echo agents, and during it the node both desktops are connected to is
 * killed, then (after it is back) the message stream's leader. Nothing is lost, nothing
 * is delivered twice, each sender's order holds, the desktops move to another node, and
 * their mirrors of the team registry converge.
 */
import type { NatsConnection } from 'nats.ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import { createCore } from '../../../src/core/core.js';
import { connectWs } from '../../../src/core/remote/nats-ws.js';
import { MemorySecretStore } from '../../../src/core/settings/secret-store.js';
import { CoordinatorConfig } from '../../../src/server/config.js';
import type { Coordinator } from '../../../src/server/coordinator.js';
import { startCoordinator } from '../../../src/server/coordinator.js';
import { memoryLogger } from '../../../src/server/log.js';
import { AgentManifest } from '../../../src/shared/manifest.js';
import { MESSAGE_STREAM } from '../../../src/shared/nats-subjects.js';
import type { TracePage } from '../../../src/shared/routing-contract.js';
import { eventually } from '../../helpers/eventually.js';
import type { NatsClusterHandle } from '../../helpers/nats-cluster.js';
import { startNatsCluster } from '../../helpers/nats-cluster.js';
import { ECHO_AGENT } from '../../helpers/shipped-agents.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = 'cluster';
const MESSAGES = 40;

type TraceItem = TracePage['items'][number];

async function tracesTo(core: Core, agent: string): Promise<TraceItem[]> {
  const page = await core.call('traces.query', { agent, limit: 500 });
  return page.ok ? (page.value as TracePage).items.filter((item) => item.to === agent) : [];
}

async function bodyOf(core: Core, id: string): Promise<unknown> {
  const detail = await core.call('traces.get', { id });
  return detail.ok ? (detail.value as { body: unknown }).body : undefined;
}

/**
 * The sequence numbers of the echoes, in the order bob's echo made them. Times are in
 * whole milliseconds, so echoes made in the same millisecond count as simultaneous.
 */
async function echoedOrder(alice: Core, answers: TraceItem[]): Promise<number[]> {
  const echoed: Array<{ at: number; seq: number }> = [];
  for (const answer of answers) {
    const body = (await bodyOf(alice, answer.messageId)) as { echo?: { seq?: number } };
    echoed.push({ at: answer.createdAt, seq: body.echo?.seq ?? -1 });
  }
  return echoed.sort((x, y) => x.at - y.at || x.seq - y.seq).map((entry) => entry.seq);
}

/** The node a core's link is on right now. */
function nodeOfCore(cluster: NatsClusterHandle, core: Core) {
  const server = core.remote.connection()?.getServer() ?? '';
  return cluster.nodes.find((candidate) => server.includes(String(candidate.ports.ws)));
}

/** A desktop core on the cluster, node 1 its primary and the others its extra servers, running one echo agent. */
async function startDesktop(cluster: NatsClusterHandle, primary: string, agent: string, temps: Array<ReturnType<typeof makeTempDir>>): Promise<Core> {
  const dir = makeTempDir('sy-failover-core-');
  temps.push(dir);
  const core = await createCore({
    dataDir: dir.path,
    secrets: new MemorySecretStore(),
    agents: { gateway: false, builtinManifestDir: join(dir.path, 'none') },
    remote: { timing: { pingIntervalMs: 1_000, maxPingOut: 2, heartbeatIntervalMs: 300, reconnectTimeWaitMs: 250, reconnectJitterMs: 100 } },
  });
  const set = await core.call('config.set', {
    config: { enabled: true, coordinationUrl: primary, servers: cluster.wsUrls.filter((url) => url !== primary), repo: REPO, localAgentTypes: [], remoteAgentTypes: [], fallbackToLocal: false },
    apiToken: cluster.token,
  });
  expect(set.ok).toBe(true);
  core.localAgents.install(AgentManifest.parse({ type: 'echo', command: process.execPath, args: [ECHO_AGENT] }));
  await eventually(() => core.remote.connection() !== undefined, 20_000, 'link up');
  await core.localAgents.start('echo', agent);
  return core;
}

describe('a team on a 3-node cluster', () => {
  let cluster: NatsClusterHandle | undefined;
  const cores: Core[] = [];
  const coordinators: Coordinator[] = [];
  const temps: Array<ReturnType<typeof makeTempDir>> = [];
  let admin: NatsConnection | undefined;
  afterEach(async () => {
    await admin?.close().catch(() => undefined);
    for (const core of cores) await core.close().catch(() => undefined);
    for (const coordinator of coordinators) await coordinator.close().catch(() => undefined);
    await cluster?.dispose();
    for (const temp of temps) temp.remove();
  });

  it('loses nothing, delivers once and in order, and reconverges when nodes die', async () => {
    cluster = await startNatsCluster();
    const temp = makeTempDir('sy-failover-');
    temps.push(temp);
    const tokensFile = join(temp.path, 'tokens.json');
    writeFileSync(tokensFile, JSON.stringify({ [cluster.token]: { user: 'team-member', role: 'member', repos: [REPO] } }));
    const [n1] = cluster.nodes;
    for (const name of ['c1', 'c2']) {
      const config = CoordinatorConfig.parse({
        nats: { servers: cluster.wsUrls, token: cluster.token },
        tokensFile,
        repos: [REPO],
        instanceName: name,
        liveness: { heartbeatIntervalMs: 300, failureThreshold: 10, staleAfterMs: 60_000, retainTerminatedMs: 60_000, sweepIntervalMs: 200 },
        stream: { maxBytes: 32 * 1024 * 1024 },
      });
      coordinators.push(await startCoordinator(config, { log: memoryLogger() }));
    }
    admin = await connectWs({ servers: cluster.wsUrls, token: cluster.token });
    const jsm = await admin.jetstreamManager();
    expect((await jsm.streams.info(MESSAGE_STREAM)).config.num_replicas).toBe(3);

    // Both desktops have node 1 as their primary and the other two as their cluster's other servers.
    for (const agent of ['a-echo', 'b-echo']) cores.push(await startDesktop(cluster, n1!.wsUrl, agent, temps));
    const [alice, bob] = cores as [Core, Core];
    await eventually(() => alice.registry.get({ repo: REPO, name: 'b-echo' })?.location === 'remote', 20_000, 'b-echo in alice mirror');
    await eventually(() => bob.registry.get({ repo: REPO, name: 'a-echo' })?.location === 'remote', 20_000, 'a-echo in bob mirror');
    const node1Port = String(n1!.ports.ws);
    for (const core of cores) expect(core.remote.connection()?.getServer()).toContain(node1Port);

    /** Desktops moved on; node 1 comes back and its replica catches up before the next kill. */
    const bringBackNode1 = async () => {
      for (const core of cores) await eventually(() => !(core.remote.connection()?.getServer() ?? node1Port).includes(node1Port), 20_000, 'moved to another node');
      await n1!.start();
      await eventually(async () => {
        const info = await jsm.streams.info(MESSAGE_STREAM);
        const peers = info.cluster?.replicas ?? [];
        return info.cluster?.leader && peers.length === 2 && peers.every((peer) => peer.current && !peer.offline);
      }, 30_000, 'stream replicas current again');
    };
    const killLeader = async () => {
      const leader = (await jsm.streams.info(MESSAGE_STREAM)).cluster!.leader!;
      await cluster!.nodes.find((node) => node.name === leader)!.kill();
      return leader;
    };
    let leaderKilled = '';
    for (let seq = 0; seq < MESSAGES; seq++) {
      if (seq === 10) await n1!.kill();
      if (seq === 20) await bringBackNode1();
      if (seq === 25) leaderKilled = await killLeader();
      const sent = await alice.call('messages.send', { from: 'a-echo', to: 'b-echo', body: { seq }, kind: 'text' });
      expect(sent.ok, JSON.stringify(sent)).toBe(true);
    }
    expect(leaderKilled).not.toBe('');

    // Every request arrived once at bob's echo, and every echo once at alice's.
    const requests = await eventually(async () => {
      const items = await tracesTo(bob, 'b-echo');
      return items.filter((item) => item.status === 'delivered' || item.status === 'answered').length >= MESSAGES ? items : undefined;
    }, 90_000, 'all requests delivered');
    const answers = await eventually(async () => {
      const items = (await tracesTo(alice, 'a-echo')).filter((item) => item.status === 'delivered');
      return items.length >= MESSAGES ? items : undefined;
    }, 60_000, 'all answers delivered');
    expect(new Set(requests.map((item) => item.messageId)).size).toBe(requests.length);
    expect(requests.length).toBe(MESSAGES);
    expect(answers.length).toBe(MESSAGES);

    // Order per sender: bob's echo answered in the order alice sent.
    expect(await echoedOrder(alice, answers)).toEqual([...Array(MESSAGES).keys()]);

    // The desktops are on a node that is alive, and their mirrors agree with each other.
    for (const core of cores) expect(nodeOfCore(cluster, core)?.running()).toBe(true);
    const view = (core: Core) => ['a-echo', 'b-echo'].map((name) => `${name}:${core.registry.get({ repo: REPO, name })?.status ?? 'missing'}`);
    await eventually(() => JSON.stringify(view(alice)) === JSON.stringify(view(bob)), 20_000, 'mirrors converge');
    for (const entry of view(alice)) expect(entry).not.toMatch(/missing|terminated|unreachable/);
  }, 240_000);
});
