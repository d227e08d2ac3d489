/**
 * Where the WebSocket bridge is, and how long to wait before trying it again.
 */
import { BRIDGE_PATH } from '../../../shared/bridge-protocol.js';

/** The token the headless host put in the URL it printed (`/?token=…`), or null. */
export function readToken(search: string): string | null {
  const token = new URLSearchParams(search).get('token');
  return token === null || token.trim() === '' ? null : token;
}

/** The bridge's address on the host that served this page. */
export function bridgeUrl(location: { protocol: string; host: string }, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${BRIDGE_PATH}?token=${encodeURIComponent(token)}`;
}

/** Exponential backoff: 0.5 s, 1 s, 2 s, 4 s, 8 s, then every 15 s. `attempt` counts from 1. */
export function backoffDelay(attempt: number): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(15_000, 500 * 2 ** Math.min(exponent, 10));
}
