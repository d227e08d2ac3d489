/**
 * Test harness for the router: a real database, a real registry, a real NATS link over
 * WebSocket, and a recording LocalDelivery standing in for the agents' stdin.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { NatsConnection } from 'nats.ws';
import { RetentionPolicy, StorageType, nanos } from 'nats.ws';
import type { HybridConfig } from '../../../src/shared/config.js';
import type { Location, RoutedMessage } from '../../../src/shared/domain.js';
import { MESSAGE_STREAM, subjects } from '../../../src/shared/nats-subjects.js';
import type { Clock } from '../../../src/core/clock.js';
import { systemClock } from '../../../src/core/clock.js';
import { openDatabase } from '../../../src/core/db/database.js';
import { createSqliteRegistry } from '../../../src/core/registry/sqlite-registry.js';
import type { SqliteRegistry } from '../../../src/core/registry/sqlite-registry.js';
import { connectWs } from '../../../src/core/remote/nats-ws.js';
import type { RouterOptions } from '../../../src/core/router/router.js';
import { Router } from '../../../src/core/router/router.js';
import type { LocalDelivery, RemoteTransport } from '../../../src/core/router/types.js';
import { TraceStore } from '../../../src/core/traces/trace-store.js';
import type { MessagesRouted } from '../../../src/shared/routing-contract.js';

/** A NATS link that reconnects forever and reports up/down like the desktop's RemoteLink. */
export interface TestLink extends RemoteTransport {
  close(): Promise<void>;
}

export async function connectLink(wsUrl: string, token: string): Promise<TestLink> {
  const nc = await connectWs({ servers: wsUrl, token, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 200, waitOnFirstConnect: true });
  let up = true;
  const ups = new Set<() => void>();
  const downs = new Set<() => void>();
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' && up) {
        up = false;
        for (const listener of downs) listener();
      } else if (status.type === 'reconnect' && !up) {
        up = true;
        for (const listener of ups) listener();
      }
    }
  })();
  return {
    connection: () => (up && !nc.isClosed() ? nc : undefined),
    onUp: (listener) => (ups.add(listener), () => ups.delete(listener)),
    onDown: (listener) => (downs.add(listener), () => downs.delete(listener)),
    close: () => nc.close(),
  };
}

/** The message stream as the coordinator makes it (src/server/message-stream.ts). */
export async function ensureStream(nc: NatsConnection): Promise<void> {
  const jsm = await nc.jetstreamManager();
  try {
    await jsm.streams.info(MESSAGE_STREAM);
  } catch {
    await jsm.streams.add({
      name: MESSAGE_STREAM,
      subjects: [subjects.everyInbox()],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      duplicate_window: nanos(120_000),
    });
  }
}

/** Records what reached each agent; `refuse` makes an agent look stopped. */
export class RecordingDelivery implements LocalDelivery {
  readonly received = new Map<string, RoutedMessage[]>();
  readonly refuse = new Set<string>();
  private readonly waiters = new Set<() => void>();
  /** Called after each delivery (an agent that answers). */
  onDeliver?: (message: RoutedMessage) => void;

  deliver(message: RoutedMessage): boolean {
    if (this.refuse.has(message.to)) return false;
    const list = this.received.get(message.to) ?? [];
    list.push(message);
    this.received.set(message.to, list);
    this.onDeliver?.(message);
    for (const wake of [...this.waiters]) wake();
    return true;
  }

  of(agent: string): RoutedMessage[] {
    return this.received.get(agent) ?? [];
  }

  /** Resolves on the delivery that brings `agent` to `count` messages (checked on each delivery, no polling). */
  waitFor(agent: string, count: number, timeoutMs = 20_000): Promise<RoutedMessage[]> {
    if (this.of(agent).length >= count) return Promise.resolve(this.of(agent));
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        if (this.of(agent).length < count) return;
        done();
        resolve(this.of(agent));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${agent} got ${this.of(agent).length} of ${count} messages in ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
    });
  }
}

export interface Node {
  dir: string;
  db: Database;
  registry: SqliteRegistry;
  traces: TraceStore;
  delivery: RecordingDelivery;
  router: Router;
  batches: MessagesRouted[];
  config: HybridConfig;
  close(): Promise<void>;
}

export function hybrid(repo = 'team', change: Partial<HybridConfig> = {}): HybridConfig {
  return { enabled: true, coordinationUrl: 'ws://127.0.0.1:1', repo, localAgentTypes: [], remoteAgentTypes: [], fallbackToLocal: false, ...change };
}

/** One router with its own database: a desktop (`local`) or the team side (`remote`). */
export function startNode(options: {
  config?: HybridConfig;
  transport?: RemoteTransport;
  hostLocation?: Location;
  dir?: string;
  router?: Partial<RouterOptions>;
  token?: string;
  /** Time as this node sees it (src/core/clock.ts); the system's by default. */
  clock?: Clock;
}): Node {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'sy-router-'));
  const db = openDatabase(join(dir, 'switchyard.db'));
  const clock = options.clock ?? systemClock;
  const registry = createSqliteRegistry(db, { clock });
  const batches: MessagesRouted[] = [];
  const traces = new TraceStore(db, { clock, secrets: () => [options.token], onBatch: (items) => batches.push({ items }) });
  const delivery = new RecordingDelivery();
  const config = options.config ?? hybrid();
  const router = new Router({ db, registry, local: delivery, transport: options.transport, config: () => config, traces, clock, hostLocation: options.hostLocation, ...options.router });
  return {
    dir,
    db,
    registry,
    traces,
    delivery,
    router,
    batches,
    config,
    async close() {
      await router.close();
      traces.close();
      db.close();
    },
  };
}

let instance = 0;
/** Registers an agent in a node's mirror. */
export function addAgent(node: Node, name: string, location: Location, status: 'active' | 'unreachable' = 'active'): void {
  node.registry.register({ name, type: 'worker', location, repo: node.config.repo, owner: 'tester', instanceId: `i-${name}-${++instance}` });
  if (status !== 'active') node.registry.setStatus({ repo: node.config.repo, name }, status);
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
