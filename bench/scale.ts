/**
 * `npm run bench -- scale`: a team at scale on a 3-node NATS cluster.
 *
 * - The coordinator runs as its own process (bin/switchyard-coordinator.mjs --no-team),
 *   so its CPU is read from /proc alone: coordinator_cpu_ms_per_s over the steady phase.
 * - 1,000 remote agents register and heartbeat every 2 s (plain publishes, as agents
 *   do), each at its own phase of the interval as independent agents do; the
 *   coordinator's liveness sweep runs at its default interval.
 * - 10 desktop mirrors (the core's remote link over its SQLite registry, as core.ts
 *   composes them), each in a process of its own (bench/_scale-desktop.ts), spread over
 *   the three nodes, mirror the repo. hb_to_mirror_p99_ms: from a probe agent's heartbeat
 *   publish to the change showing in a desktop's registry, over every desktop.
 * - Message exchanges across the cluster (publisher on node 1, consumer on node 2):
 *   ours = the router's publish (publishToInbox: RoutedMessage, trace and sender
 *   headers, Nats-Msg-Id, JetStream ack) and the inbox consumer's parse, against raw
 *   nats.ws (js.publish with ack, the same bytes, a durable pull consumer) in
 *   alternating blocks of the same run. route_ratio = ours p99 ÷ raw p99.
 * - Node kills: during a stream of messages one node is killed and restarted, then
 *   another; a publish that fails is retried with the same id (as the outbox does).
 *   lost = acknowledged messages the consumer never saw.
 * - mirror_100k_ms: a fresh desktop mirror of a 100,000-agent repo, from link start to
 *   the mirror holding every agent.
 *
 * The machine is shared; run it where nothing else runs for figures to compare.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coordinatorRequest, publishHeartbeat } from '../src/core/remote/coordinator-client.js';
import type { NatsConnection } from 'nats.ws';
import { connectWs } from '../src/core/remote/nats-ws.js';
import { AgentInfo } from '../src/shared/domain.js';
import { subjects } from '../src/shared/nats-subjects.js';
import { startNatsCluster } from '../test/helpers/nats-cluster.js';
import type { DesktopReport } from './_scale-desktop.js';
import { PROBE_MAX } from './_scale-desktop.js';
import { mirrorBig } from './_scale-mirror.js';
import { exchanges, throughKills } from './_scale-messages.js';
import type { NatsClusterHandle } from '../test/helpers/nats-cluster.js';

const AGENTS = Number(process.env.SY_BENCH_AGENTS ?? 1_000);
const DESKTOPS = Number(process.env.SY_BENCH_DESKTOPS ?? 10);
const BIG = Number(process.env.SY_BENCH_BIG ?? 100_000);
const STEADY_MS = Number(process.env.SY_BENCH_STEADY_MS ?? 20_000);
const PROBES = 50;
const REPO = 'scale';
const BIG_REPO = 'scale100k';
const BIN = fileURLToPath(new URL('../bin/switchyard-coordinator.mjs', import.meta.url));
const DESKTOP = fileURLToPath(new URL('./_scale-desktop.ts', import.meta.url));
/** Wall time with sub-millisecond precision, comparable with the desktop processes'. */
const wallNow = () => performance.timeOrigin + performance.now();

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
};
const round = (n: number, digits = 2) => Number(n.toFixed(digits));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU (user + system) a process has used, in ms (Linux /proc). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
}

function startCoordinatorProcess(cluster: NatsClusterHandle, dir: string): Promise<ChildProcess> {
  writeFileSync(join(dir, 'tokens.json'), JSON.stringify({ [cluster.token]: { user: 'bench', role: 'admin', repos: ['*'] } }));
  writeFileSync(
    join(dir, 'coordinator.json'),
    JSON.stringify({
      nats: { servers: cluster.wsUrls },
      tokensFile: 'tokens.json',
      repos: [REPO, BIG_REPO],
      stream: { maxBytes: 256 * 1024 * 1024 },
      quotas: { agentsPerUser: 1_000_000 },
      instanceName: 'bench-coordinator',
    }),
  );
  const child = spawn(process.execPath, [BIN, '--config', join(dir, 'coordinator.json'), '--no-team'], {
    env: { ...process.env, SY_NATS_TOKEN: cluster.token },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('"coordinator ready"')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`coordinator exited with ${code}:\n${log}`)));
  });
}

interface DesktopProcess {
  child: ChildProcess;
  synced: Promise<void>;
  close(): Promise<void>;
}

/** A desktop in its own process; `onProbes` gets the probe changes it saw, with when. */
function forkDesktop(cluster: NatsClusterHandle, index: number, onProbes: (seen: Array<[string, number, number]>) => void): DesktopProcess {
  const child = fork(DESKTOP, [String(index), REPO, JSON.stringify(cluster.wsUrls)], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, SY_NATS_TOKEN: cluster.token },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const synced = new Promise<void>((resolve, reject) => {
    child.on('message', (report: DesktopReport) => {
      if (report.type === 'synced') resolve();
      else onProbes(report.seen);
    });
    void exited.then(() => reject(new Error(`desktop ${index} exited with ${child.exitCode}`)));
  });
  synced.catch(() => undefined);
  return {
    child,
    synced,
    async close() {
      if (child.exitCode !== null) return;
      child.send('close');
      await exited;
    },
  };
}

/** Registers the agents through the coordinator, as remote agents do. */
async function registerAgents(nc: NatsConnection, token: string): Promise<void> {
  for (let start = 0; start < AGENTS; start += 100) {
    const batch: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(AGENTS, start + 100); i++) {
      batch.push(
        coordinatorRequest(
          nc,
          subjects.register(REPO),
          { name: `agent-${i}`, type: 'worker', location: 'remote', instanceId: `inst-${i}`, metadata: { heartbeatIntervalMs: 2_000 } },
          token,
          AgentInfo,
          30_000,
        ),
      );
    }
    await Promise.all(batch);
  }
}

/**
 * Heartbeats every agent every 2 s, each at its own phase of the interval: agents start at
 * different moments and keep their own timers, so a team's heartbeats arrive spread over
 * the interval (10 every 20 ms here), not as one burst of 1,000. Probes carry a counter in
 * load.current and note when it was sent.
 */
function heartbeatAgents(nc: NatsConnection, token: string, sentAt: Map<string, number>): () => void {
  const TICK_MS = 20;
  const ticksPerInterval = 2_000 / TICK_MS;
  let tick = 0;
  const beat = () => {
    const slot = tick % ticksPerInterval;
    const cycle = Math.floor(tick / ticksPerInterval) + 1;
    tick++;
    for (let i = slot; i < AGENTS; i += ticksPerInterval) {
      const name = `agent-${i}`;
      // A connection that is reconnecting drops what it cannot send; the sweep notices silence, as it would.
      if (nc.isClosed()) return;
      if (i < PROBES) {
        sentAt.set(`${name}:${cycle}`, wallNow());
        publishHeartbeat(nc, subjects.heartbeat(REPO, name), { load: { current: cycle, max: PROBE_MAX } }, token);
      } else {
        publishHeartbeat(nc, subjects.heartbeat(REPO, name), {}, token);
      }
    }
  };
  beat();
  const timer = setInterval(beat, TICK_MS);
  return () => clearInterval(timer);
}

async function main(): Promise<void> {
  const cluster = await startNatsCluster();
  const dirs: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-scale-coord-'));
  dirs.push(dir);
  let coordinator: ChildProcess | undefined;
  const desktops: DesktopProcess[] = [];
  const conns: NatsConnection[] = [];
  try {
    coordinator = await startCoordinatorProcess(cluster, dir);
    const agentsConn = await connectWs({ servers: cluster.wsUrls, token: cluster.token, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    conns.push(agentsConn);
    await registerAgents(agentsConn, cluster.token);
    console.log(`registered ${AGENTS} agents`);
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const onProbes = (seen: Array<[string, number, number]>) => {
      for (const [name, cycle, at] of seen) {
        const sent = sentAt.get(`${name}:${cycle}`);
        if (sent !== undefined) latencies.push(at - sent);
      }
    };
    for (let i = 0; i < DESKTOPS; i++) desktops.push(forkDesktop(cluster, i, onProbes));
    await Promise.all(desktops.map((desktop) => desktop.synced));
    console.log(`${DESKTOPS} desktops (a process each) mirrored the repo`);

    const stopBeats = heartbeatAgents(agentsConn, cluster.token, sentAt);
    await sleep(4_000);
    latencies.length = 0;
    const cpuBefore = cpuMs(coordinator.pid!);
    const steadyStart = performance.now();
    await sleep(STEADY_MS);
    const cpuPerSecond = (cpuMs(coordinator.pid!) - cpuBefore) / ((performance.now() - steadyStart) / 1_000);
    const hbP99 = percentile(latencies, 0.99);
    console.log(`steady ${STEADY_MS} ms: coordinator ${cpuPerSecond.toFixed(1)} ms CPU/s; heartbeat→mirror p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${hbP99.toFixed(1)} ms over ${latencies.length} probe changes`);

    const [n1, n2] = cluster.nodes;
    const sender = await connectWs({ servers: [n1!.wsUrl], token: cluster.token, maxReconnectAttempts: -1 });
    const receiver = await connectWs({ servers: [n2!.wsUrl], token: cluster.token, maxReconnectAttempts: -1 });
    conns.push(sender, receiver);
    const times = await exchanges(sender, receiver);
    const oursP99 = percentile(times.ours, 0.99);
    const rawP99 = percentile(times.raw, 0.99);
    console.log(`exchanges node1→node2: ours p50 ${percentile(times.ours, 0.5).toFixed(2)} p99 ${oursP99.toFixed(2)} ms; raw p50 ${percentile(times.raw, 0.5).toFixed(2)} p99 ${rawP99.toFixed(2)} ms`);

    const killSender = await connectWs({ servers: cluster.wsUrls, token: cluster.token, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    const killReceiver = await connectWs({ servers: [...cluster.wsUrls].reverse(), token: cluster.token, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    conns.push(killSender, killReceiver);
    const lost = await throughKills(cluster, killSender, killReceiver);
    console.log(`through two node kills: lost ${lost}`);
    stopBeats();
    await Promise.all(desktops.map((desktop) => desktop.close()));
    await Promise.all(cluster.nodes.map((node) => node.start()));

    const mirror100k = await mirrorBig(cluster, killSender, dirs, BIG, BIG_REPO);
    console.log(`a fresh mirror of ${BIG} agents converged in ${mirror100k.toFixed(0)} ms`);
    console.log('(the machine is shared with other work; figures are noisy)');
    console.log(
      JSON.stringify({
        bench: 'scale',
        agents: AGENTS,
        desktops: DESKTOPS,
        coordinator_cpu_ms_per_s: round(cpuPerSecond, 1),
        hb_to_mirror_p99_ms: round(hbP99, 1),
        route_ratio: round(oursP99 / rawP99),
        lost,
        mirror_100k_ms: Math.round(mirror100k),
      }),
    );
  } finally {
    for (const desktop of desktops) await desktop.close().catch(() => undefined);
    for (const nc of conns) await nc.close().catch(() => undefined);
    if (coordinator?.pid && coordinator.exitCode === null) process.kill(coordinator.pid, 'SIGKILL');
    await cluster.dispose();
    for (const path of dirs) rmSync(path, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
