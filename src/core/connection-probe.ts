/**
 * "Test connection": one nats.ws connect to a coordination URL, timed, then closed.
 *
 * It answers the Settings button before the user saves a config, so it never touches
 * the running link. The token it is given (or the stored one) is used for the connect
 * and nothing else: it is never logged, and scrubbed from any error text it returns.
 */
import type { ConnectionTestResult } from '../shared/contract.js';
import { connectWs, displayServer, natsAuthOf } from './remote/index.js';

/** How long a test may take before it reports a timeout. */
export const PROBE_TIMEOUT_MS = 5_000;

export interface ProbeOptions {
  coordinationUrl: string;
  token?: string;
  timeoutMs?: number;
  /** Monotonic milliseconds; `performance.now` by default. */
  now?: () => number;
}

/**
 * Connects once; `{ ok: true, latencyMs }` when the server accepted us (latency: one
 * PING/PONG round trip after the handshake), else the reason.
 */
export async function probeConnection(options: ProbeOptions): Promise<ConnectionTestResult> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const now = options.now ?? (() => performance.now());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const attempt = connectWs({
    servers: options.coordinationUrl,
    ...natsAuthOf(options.token),
    name: 'switchyard-connection-test',
    timeout: timeoutMs,
    reconnect: false,
    maxReconnectAttempts: 0,
    waitOnFirstConnect: false,
  });
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([attempt, timeout]);
    if (outcome === 'timeout') {
      // A connect that completes after the deadline is closed, not leaked.
      attempt.then((late) => late.close()).catch(() => undefined);
      return { ok: false, error: `no answer from ${displayServer(options.coordinationUrl)} within ${timeoutMs / 1000} s` };
    }
    // The handshake (INFO/CONNECT/PING/PONG) is done: auth passed. One more round trip
    // measures the latency a message would see.
    const connected = now();
    try {
      await outcome.flush();
    } finally {
      await outcome.close().catch(() => undefined);
    }
    return { ok: true, latencyMs: Math.round((now() - connected) * 10) / 10 };
  } catch (error) {
    return { ok: false, error: scrub(describe(error), options.token) };
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message || String(code ?? 'connection failed');
    return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(error);
}

/** The token never leaves in an error text, even if a library echoed it. */
function scrub(text: string, token: string | undefined): string {
  if (!token || token.length < 4) return text;
  return text.split(token).join('[redacted]');
}
