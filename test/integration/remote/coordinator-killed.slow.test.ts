/**
 * A coordinator killed with -9 in the middle of a spawn loses nothing: the desktop's
 * request is retried, the other coordinator completes it with a worker it runs, the dead
 * one's half-made worker record is retired, and no worker process is left that nobody
 * supervises.
 *
 * Two real coordinator processes (bin/switchyard-coordinator.mjs) on a 3-node cluster,
 * A on node 1 and B on node 2, each behind a proxy that freezes it the moment the server
 * acknowledges its worker record (after the record is written, before the process starts
 * and the reply goes out). The queue group gives the desktop's request to either; the one
 * that took it is frozen there and killed, and the retry goes to the other.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NatsConnection } from 'nats.ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.js';
import { createCore } from '../../../src/core/core.js';
import { connectWs } from '../../../src/core/remote/nats-ws.js';
import { MemorySecretStore } from '../../../src/core/settings/secret-store.js';
import { AgentInfo } from '../../../src/shared/domain.js';
import { REGISTRY_BUCKET, registryKey } from '../../../src/shared/nats-subjects.js';
import { eventually } from '../../helpers/eventually.js';
import type { NatsClusterHandle } from '../../helpers/nats-cluster.js';
import { startNatsCluster } from '../../helpers/nats-cluster.js';
import type { HoldProxy } from '../../helpers/tcp-hold-proxy.js';
import { startHoldProxy } from '../../helpers/tcp-hold-proxy.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const BIN = fileURLToPath(new URL('../../../bin/switchyard-coordinator.mjs', import.meta.url));
const TEAM_DIR = fileURLToPath(new URL('../../../resources/team', import.meta.url));
const REPO = `killed${Math.random().toString(36).slice(2, 8)}`;
const TASK = 'survive a coordinator crash';

interface Proc {
  child: ChildProcess;
  lines: string[];
}

/** Processes on this machine running a worker of our repo: pid → parent pid (Linux /proc). */
function workersOfRepo(): Map<number, number> {
  const found = new Map<number, number>();
  if (!existsSync('/proc')) return found;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('worker.mjs')) continue;
      if (!readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`SWITCHYARD_REPO=${REPO}`)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      found.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

describe('a coordinator killed mid-spawn', () => {
  let cluster: NatsClusterHandle | undefined;
  const proxies: HoldProxy[] = [];
  let temp: ReturnType<typeof makeTempDir> | undefined;
  let core: Core | undefined;
  let nc: NatsConnection | undefined;
  const procs: Proc[] = [];
  afterEach(async () => {
    await nc?.close().catch(() => undefined);
    await core?.close().catch(() => undefined);
    for (const { child } of procs) if (child.pid && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGTERM');
    await Promise.all(procs.map(({ child }) => (child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : undefined)));
    await Promise.all(proxies.splice(0).map((hold) => hold.close()));
    await cluster?.dispose();
    temp?.remove();
  });

  const startCoordinator = async (name: string, server: string): Promise<Proc> => {
    const config = join(temp!.path, `${name}.json`);
    writeFileSync(
      config,
      JSON.stringify({
        nats: { servers: [server] },
        tokensFile: 'tokens.json',
        repos: [REPO],
        instanceName: name,
        liveness: { heartbeatIntervalMs: 300, failureThreshold: 3, staleAfterMs: 20_000, retainTerminatedMs: 20_000, sweepIntervalMs: 200 },
        stream: { maxBytes: 32 * 1024 * 1024 },
        team: { manifestDir: TEAM_DIR, agents: [], dataDir: join(temp!.path, name) },
      }),
    );
    const child = spawn(process.execPath, [BIN, '--config', config], { env: { ...process.env, SY_NATS_TOKEN: cluster!.token }, stdio: ['ignore', 'ignore', 'pipe'] });
    const proc: Proc = { child, lines: [] };
    procs.push(proc);
    let pending = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      const parts = (pending + chunk.toString()).split('\n');
      pending = parts.pop() ?? '';
      proc.lines.push(...parts);
    });
    await eventually(() => proc.lines.some((line) => line.includes('"coordinator ready"')), 60_000, `${name} ready`).catch((error: unknown) => {
      const node = cluster!.nodeOf(server);
      const nodeState = node ? `\nits node ${node.name}: ${node.running() ? 'running' : 'not running'}\n${node.log().slice(-4_000)}` : '';
      throw new Error(`${String(error)}\n${proc.lines.join('\n')}${nodeState}`);
    });
    return proc;
  };

  it('has its spawn completed by the other coordinator, its half-made worker retired, and no orphan process', async () => {
    cluster = await startNatsCluster();
    temp = makeTempDir('sy-killed-');
    writeFileSync(join(temp.path, 'tokens.json'), JSON.stringify({ [cluster.token]: { user: 'alice', role: 'member', repos: [REPO] } }));
    const [n1, n2] = cluster.nodes;
    // Each coordinator behind a proxy that holds it exactly when the server acknowledges its
    // write of a worker record (the reply subject of that publish, read from its own frames,
    // is where the ack arrives). The queue group gives the spawn to either; only the first
    // to write one is held, so the retry runs freely on the other.
    let heldBy: string | undefined;
    const holdAtWorkerWrite = async (name: string, port: number) => {
      let ackSubject: string | undefined;
      const workerWrite = new RegExp(`H?PUB \\$KV\\.${REGISTRY_BUCKET}\\.${REPO}\\.worker-\\d+ (\\S+) `);
      const hold = await startHoldProxy(
        { host: '127.0.0.1', port },
        (text) => {
          if (ackSubject === undefined || !text.includes(`MSG ${ackSubject} `) || (heldBy ?? name) !== name) return false;
          heldBy = name;
          return true;
        },
        { onClientText: (text) => (ackSubject ??= workerWrite.exec(text)?.[1]) },
      );
      proxies.push(hold);
      return hold;
    };
    const proxyA = await holdAtWorkerWrite('coord-a', n1!.ports.ws);
    const proxyB = await holdAtWorkerWrite('coord-b', n2!.ports.ws);
    const coordinators = { 'coord-a': await startCoordinator('coord-a', proxyA.url), 'coord-b': await startCoordinator('coord-b', proxyB.url) };

    const dir = makeTempDir('sy-killed-core-');
    core = await createCore({ dataDir: dir.path, secrets: new MemorySecretStore(), agents: { gateway: false, builtinManifestDir: join(dir.path, 'none') } });
    const closeCore = core.close.bind(core);
    (core as { close: () => Promise<void> }).close = async () => {
      await closeCore();
      dir.remove();
    };
    const set = await core.call('config.set', {
      config: { enabled: true, coordinationUrl: n1!.wsUrl, repo: REPO, localAgentTypes: [], remoteAgentTypes: ['worker'], fallbackToLocal: false },
      apiToken: cluster.token,
    });
    expect(set.ok).toBe(true);
    await eventually(() => (core!.handlers['connection.get']() as { phase: string }).phase === 'connected', 20_000, 'core connected');

    proxyA.arm();
    proxyB.arm();
    const spawned = core.call('agents.spawn', { type: 'worker', task: TASK });
    await Promise.race([
      proxyA.held,
      proxyB.held,
      spawned.then((outcome) => {
        throw new Error(`the spawn was answered before a coordinator was held: ${JSON.stringify(outcome)}`);
      }),
    ]);
    const victimName = heldBy as 'coord-a' | 'coord-b';
    const survivorName = victimName === 'coord-a' ? 'coord-b' : 'coord-a';
    const victim = coordinators[victimName];
    const survivor = coordinators[survivorName];
    // Frozen after its record was acknowledged: it started no process and sent no answer.
    expect([...workersOfRepo().values()]).not.toContain(victim.child.pid);
    const victimExited = new Promise((resolve) => victim.child.once('exit', resolve));
    process.kill(victim.child.pid!, 'SIGKILL');
    await victimExited;

    const outcome = await spawned;
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ ok: true, value: { location: 'remote', route: 'remote' } });
    const worker = (outcome as { ok: true; value: { workerName: string } }).value.workerName;

    nc = await connectWs({ servers: [n2!.wsUrl], token: cluster.token });
    const kv = await nc.jetstream().views.kv(REGISTRY_BUCKET, { bindOnly: true });
    const record = async (name: string) => {
      const entry = await kv.get(registryKey(REPO, name));
      return entry && entry.operation === 'PUT' ? AgentInfo.parse(entry.json()) : undefined;
    };
    const keys: string[] = [];
    for await (const key of await kv.keys(`${REPO}.>`)) keys.push(key);
    const records = (await Promise.all(keys.map((key) => record(key.slice(REPO.length + 1))))).filter((info) => info !== undefined);
    // The victim's half-made worker: never left pointing at nothing.
    const halfMade = records.filter((info) => info.tags.coordinator === victimName);
    expect(halfMade.map((info) => info.name)).not.toContain(worker);
    for (const info of halfMade) {
      await eventually(async () => (await record(info.name))?.status === 'terminated', 10_000, `${info.name} retired`);
      expect((await record(info.name))?.metadata.orphanOf).toBe(victimName);
    }
    expect(halfMade.length).toBe(1);

    // The survivor runs the spawned worker to the end of its task; every worker process of the repo is its.
    const ran = await record(worker);
    expect(ran?.tags.coordinator).toBe(survivorName);
    expect(ran?.metadata.startedAt).toBeTypeOf('number');
    for (const parent of workersOfRepo().values()) expect(parent).toBe(survivor.child.pid);
    await eventually(async () => (await record(worker))?.status === 'terminated', 20_000, `${worker} finished its task`);
    expect((await record(worker))?.metadata.orphanOf).toBeUndefined();
    expect(workersOfRepo().size).toBe(0);
    expect(survivor.lines.some((line) => line.includes('"worker spawned"') && line.includes(worker))).toBe(true);
  }, 150_000);
});
