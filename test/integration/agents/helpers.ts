/** Shared setup for the local-agent integration tests: a real core in a temp folder. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import type { SwitchyardLine } from '../../../src/shared/agent-protocol.js';
import type { Core, CoreOptions } from '../../../src/core/core.js';
import { createCore } from '../../../src/core/core.js';
import { eventually } from '../../helpers/eventually.js';

export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Fast timings: backoff in milliseconds, a quick sweep, a short stop grace. */
export const FAST_TIMINGS = {
  backoffInitialMs: 20,
  backoffMaxMs: 200,
  sweepIntervalMs: 25,
  stopGraceMs: 300,
  killAfterMs: 300,
};

export interface TestCore {
  core: Core;
  dataDir: string;
  /** Writes a user manifest (`<dataDir>/agents/<type>.json`). */
  manifest(manifest: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function startCore(agents: CoreOptions['agents'] = {}, options: Pick<CoreOptions, 'clock' | 'problems'> = {}): Promise<TestCore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-agents-'));
  const core = await createCore({ dataDir, agents: { timings: FAST_TIMINGS, ...agents }, ...options });
  return {
    core,
    dataDir,
    manifest(manifest) {
      mkdirSync(join(dataDir, 'agents'), { recursive: true });
      writeFileSync(join(dataDir, 'agents', `${String(manifest.type)}.json`), JSON.stringify(manifest));
    },
    async close() {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** An external agent on the gateway, as a test sees it: lines in, lines out. */
export class GatewayClient {
  readonly received: SwitchyardLine[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.received.push(JSON.parse(String(data)) as SwitchyardLine));
  }

  static connect(url: string, options: { token?: string; headers?: Record<string, string> } = {}): Promise<GatewayClient> {
    const target = options.token === undefined ? url : `${url}/?token=${encodeURIComponent(options.token)}`;
    const ws = new WebSocket(target, { headers: options.headers });
    const client = new GatewayClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(line: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(line));
  }

  next<T extends SwitchyardLine['type']>(type: T, match: (line: Extract<SwitchyardLine, { type: T }>) => boolean = () => true, timeoutMs = 10_000) {
    return eventually(
      () => this.received.find((l): l is Extract<SwitchyardLine, { type: T }> => l.type === type && match(l as never)),
      timeoutMs,
      `a ${type} line`,
    );
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

export function gatewayToken(dataDir: string): string {
  return readFileSync(join(dataDir, 'gateway-token'), 'utf8').trim();
}
