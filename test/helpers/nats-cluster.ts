/**
 * Starts a real three-node nats-server cluster on loopback for one test or benchmark:
 * cluster routes between the nodes, JetStream on each (its own store folder), a
 * WebSocket listener on each, one token for clients. Ports are free ones; each node is
 * stopped (and restarted) by its PID, never by name.
 *
 * The node configuration is the one docs/nats.md documents for a 3-node cluster
 * (clusterNodeConfig below builds both).
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectWs } from '../../src/core/remote/nats-ws.js';
import { readyJetStream } from '../../src/core/remote/jetstream-store.js';
import { freePort } from './free-port.js';

export interface ClusterNodePorts {
  client: number;
  cluster: number;
  ws: number;
}

export interface ClusterNode {
  readonly name: string;
  readonly ports: ClusterNodePorts;
  /** ws://127.0.0.1:<ws> */
  readonly wsUrl: string;
  pid(): number | undefined;
  running(): boolean;
  /** SIGKILL by PID: the node vanishes as a crashed machine would. */
  kill(): Promise<void>;
  /** Starts the node again on the same ports and store. */
  start(): Promise<void>;
  log(): string;
}

export interface NatsClusterHandle {
  readonly nodes: readonly ClusterNode[];
  readonly token: string;
  /** Every node's WebSocket URL, the server list clients are given. */
  readonly wsUrls: string[];
  /** The node whose client port or WebSocket port `url` names. */
  nodeOf(url: string): ClusterNode | undefined;
  dispose(): Promise<void>;
}

/**
 * One node's nats-server configuration: the documented layout (docs/nats.md, "A 3-node
 * cluster"). `routes` lists every node's cluster port, its own included (the server
 * ignores a route to itself), so the same block serves each node.
 */
export function clusterNodeConfig(options: {
  name: string;
  clusterName: string;
  host: string;
  ports: ClusterNodePorts;
  routes: string[];
  storeDir: string;
  authorization: string;
}): string {
  const { name, clusterName, host, ports, routes, storeDir, authorization } = options;
  return [
    `server_name: "${name}"`,
    `listen: "${host}:${ports.client}"`,
    authorization,
    `jetstream { store_dir: "${storeDir}", max_memory_store: 64MB, max_file_store: 512MB }`,
    `websocket { host: "${host}", port: ${ports.ws}, no_tls: true }`,
    'cluster {',
    `  name: "${clusterName}"`,
    `  listen: "${host}:${ports.cluster}"`,
    '  routes: [',
    ...routes.map((route) => `    "${route}"`),
    '  ]',
    '}',
    '',
  ].join('\n');
}

export async function startNatsCluster(options: { size?: number; token?: string } = {}): Promise<NatsClusterHandle> {
  const size = options.size ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'sy-cluster-'));
  const token = options.token ?? randomBytes(16).toString('hex');
  const ports: ClusterNodePorts[] = [];
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(), cluster: await freePort(), ws: await freePort() });
  const routes = ports.map((p) => `nats-route://127.0.0.1:${p.cluster}`);
  const nodes = ports.map((nodePorts, index) => {
    const name = `n${index + 1}`;
    const nodeDir = join(dir, name);
    mkdirSync(nodeDir, { recursive: true });
    const conf = join(nodeDir, 'nats.conf');
    writeFileSync(
      conf,
      clusterNodeConfig({
        name,
        clusterName: 'sy-test',
        host: '127.0.0.1',
        ports: nodePorts,
        routes,
        storeDir: join(nodeDir, 'js'),
        authorization: `authorization { token: "${token}" }`,
      }),
    );
    return clusterNode(name, conf, nodePorts);
  });
  try {
    await Promise.all(nodes.map((node) => node.start()));
    await clusterReady(nodes, token);
  } catch (error) {
    await Promise.all(nodes.map((node) => node.kill()));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    nodes,
    token,
    wsUrls: nodes.map((node) => node.wsUrl),
    nodeOf(url) {
      const port = Number(/:(\d+)\/?$/.exec(url)?.[1]);
      return nodes.find((node) => node.ports.ws === port || node.ports.client === port);
    },
    async dispose() {
      await Promise.all(nodes.map((node) => node.kill()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function clusterNode(name: string, conf: string, ports: ClusterNodePorts): ClusterNode {
  let child: ChildProcess | undefined;
  let serverLog = '';
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  return {
    name,
    ports,
    wsUrl: `ws://127.0.0.1:${ports.ws}`,
    pid: () => child?.pid,
    running,
    log: () => serverLog,
    async start() {
      if (running()) return;
      const proc = spawn('nats-server', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
      child = proc;
      await new Promise<void>((resolve, reject) => {
        let log = '';
        const timer = setTimeout(() => reject(new Error(`nats-server ${name} did not start:\n${log}`)), 20_000);
        proc.stderr?.on('data', (chunk: Buffer) => {
          const text = chunk.toString();
          if (serverLog.length < 2_000_000) serverLog += text;
          log += text;
          if (log.includes('Server is ready')) {
            clearTimeout(timer);
            resolve();
          }
        });
        proc.once('error', (error) => {
          clearTimeout(timer);
          reject(new Error(`nats-server could not run (is the Debian package installed?): ${error.message}`));
        });
        proc.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`nats-server ${name} exited with ${code}:\n${log}`));
        });
      });
    },
    async kill() {
      const proc = child;
      if (!proc || !running() || proc.pid === undefined) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      process.kill(proc.pid, 'SIGKILL');
      await exited;
    },
  };
}

/**
 * Waits until every node takes a WebSocket client and the cluster's JetStream answers (its
 * meta leader is elected a few seconds after the routes form). A node that does not is
 * named with its state and log, not left for a test to meet as a refused connection.
 */
async function clusterReady(nodes: ClusterNode[], token: string): Promise<void> {
  for (const node of nodes) {
    const nc = await connectWs({ servers: [node.wsUrl], token }).catch((error: unknown) => {
      throw new Error(`cluster node ${node.name} (${node.running() ? 'running' : 'not running'}) refused its WebSocket client: ${String(error)}\n${node.log().slice(-4_000)}`);
    });
    await nc.close();
  }
  const nc = await connectWs({ servers: nodes.map((node) => node.wsUrl), token });
  try {
    await readyJetStream(nc, 60_000);
  } finally {
    await nc.close();
  }
}
