/**
 * Small probes the fuzz and regression tests share: one raw HTTP exchange, a bridge
 * round trip, a gateway round trip.
 */
import type { Agent } from 'node:http';
import { request } from 'node:http';
import WebSocket from 'ws';

export interface HttpAnswer {
  status: number;
  body: string;
}

/** Sends `target` exactly as given (no normalising client in between). */
export function httpGet(port: number, target: string, method = 'GET', agent?: Agent): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, method, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket and resolves once it is open. */
export function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** A socket's incoming JSON frames in order; `next()` waits for the next one. */
export class JsonInbox {
  private readonly queue: unknown[] = [];
  private waiting: ((value: unknown) => void) | undefined;

  constructor(ws: WebSocket) {
    ws.on('message', (data) => {
      const value: unknown = JSON.parse(String(data));
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve(value);
      } else this.queue.push(value);
    });
  }

  /** The next frame that `keep` accepts (others, e.g. pushed events, are skipped). */
  async next(keep: (value: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
    for (;;) {
      const value = (this.queue.length > 0 ? this.queue.shift() : await new Promise<unknown>((resolve) => (this.waiting = resolve))) as Record<string, unknown>;
      if (keep(value)) return value;
    }
  }
}

/** JSON nested `depth` levels deep (objects), as a string, built without recursion. */
export function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
}
