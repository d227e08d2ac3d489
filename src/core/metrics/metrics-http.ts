/**
 * The `/metrics` listener both the coordinator and the desktop core open: plain
 * node:http, GET /metrics only, the registry's text exposition format.
 *
 * It binds 127.0.0.1 unless told otherwise: metrics name agents and repos, and nothing
 * on the listener asks who is scraping (docs/coordinator.md, docs/configuration.md).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Registry } from 'prom-client';
import { parseUnknown } from '../../shared/parse.js';

export interface MetricsListen {
  host: string;
  port: number;
}

export const DEFAULT_METRICS_HOST = '127.0.0.1';

/**
 * `host:port`, `[v6]:port` or a bare port (then 127.0.0.1). Port 0 takes a free port
 * (tests); the URL the server reports says which.
 */
export const MetricsListenText = z
  .string()
  .trim()
  .regex(/^(?:(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):)?\d{1,5}$/, 'use host:port (e.g. 127.0.0.1:9464) or a port')
  .transform((text, ctx): MetricsListen => {
    const colon = text.lastIndexOf(':');
    const host = colon === -1 ? DEFAULT_METRICS_HOST : text.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    const port = Number(colon === -1 ? text : text.slice(colon + 1));
    if (port > 65_535) ctx.addIssue({ code: 'custom', message: `port ${port} is above 65535` });
    return { host, port };
  });

/** Reads a listen address from a flag, a variable or a config file; ValidationError when malformed. */
export function parseMetricsListen(text: unknown, where: string): MetricsListen {
  return parseUnknown(MetricsListenText, text, where);
}

export interface MetricsServer {
  /** `http://host:port/metrics`, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `registry` on GET /metrics; resolves once listening, rejects when the port is taken. */
export async function startMetricsServer(registry: Registry, listen: MetricsListen): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: scrape /metrics\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    registry
      .metrics()
      .then((text) => {
        response.writeHead(200, { 'content-type': registry.contentType });
        response.end(request.method === 'HEAD' ? undefined : text);
      })
      .catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`metrics failed: ${String(error)}\n`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return {
    url: `http://${host}:${port}/metrics`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
