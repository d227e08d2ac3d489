/**
 * nats.ws under Node: the one place that gives it a WebSocket and turns our credential
 * into connect options. Both the desktop link and the coordinator connect through here.
 */
import type { ConnectionOptions, NatsConnection } from 'nats.ws';
import { connect } from 'nats.ws';
import { WebSocket } from 'ws';

/**
 * nats.ws looks for a global WebSocket; Node 20 has none, so we lend it `ws`'s.
 *
 * Done once and only when missing, so an Electron renderer or Node 22's own
 * WebSocket is left alone.
 */
export function ensureWebSocket(): void {
  const global = globalThis as { WebSocket?: unknown };
  if (typeof global.WebSocket === 'undefined') global.WebSocket = WebSocket;
}

/** How a credential string authenticates to NATS. */
export type NatsAuth = { token: string } | { user: string; pass: string } | Record<string, never>;

/**
 * Reads an API token: `user:secret` means a per-user NATS user (docs/nats.md), anything
 * else is a server token. The coordinator sees only the whole string's derived value
 * (src/core/sy-token.ts) in the `Sy-Token` header, never the string.
 */
export function natsAuthOf(credential: string | undefined): NatsAuth {
  if (!credential) return {};
  const colon = credential.indexOf(':');
  if (colon > 0 && colon < credential.length - 1) {
    return { user: credential.slice(0, colon), pass: credential.slice(colon + 1) };
  }
  return { token: credential };
}

/** The user part of a `user:secret` credential, used to give a member its own inbox prefix. */
export function natsUserOf(credential: string | undefined): string | undefined {
  const auth = natsAuthOf(credential);
  return 'user' in auth ? auth.user : undefined;
}

/**
 * Connects over WebSocket. `noAsyncTraces` is on unless the caller says otherwise:
 * nats.ws would otherwise build an Error (with its stack) for every request, which
 * costs more than the request on the hot path of routing.
 */
export async function connectWs(options: ConnectionOptions): Promise<NatsConnection> {
  ensureWebSocket();
  return connect({ noAsyncTraces: true, ...options });
}

/** Strips credentials from a URL before it is shown or logged. */
export function displayServer(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
