/**
 * Reaching the core: the preload's `window.switchyard` in Electron, otherwise the
 * WebSocket bridge of the headless host, reconnecting with backoff when it drops.
 */
import { connectBridge } from '../../../shared/bridge-client.js';
import { attachApi, setBridgeState } from '../store/actions.js';
import { takeBridgeToken } from './bridge-token.js';
import { backoffDelay, bridgeUrl } from './bridge-url.js';

let retryNow: (() => void) | null = null;

/** Skips the wait before the next bridge attempt (the "Retry now" button). */
export function retryBridgeNow(): void {
  retryNow?.();
}

/** Connects and keeps connected; resolves only for Electron or a page without a token. */
export async function connectCore(): Promise<void> {
  if (window.switchyard) {
    setBridgeState({ status: 'connecting', attempt: 1 });
    try {
      await attachApi(window.switchyard, 'preload');
    } catch (error) {
      setBridgeState({ status: 'down', everConnected: false, attempt: 1, retryAt: 0, reason: describe(error) });
    }
    return;
  }

  // Taken out of the address bar as soon as it is read (bridge-token.ts).
  const token = takeBridgeToken({ location, history, storage: sessionStorageOrUndefined() });
  if (token === null) {
    setBridgeState({ status: 'missing-token' });
    return;
  }
  const url = bridgeUrl(location, token);

  let attempt = 0;
  let everConnected = false;
  for (;;) {
    attempt += 1;
    setBridgeState({ status: 'connecting', attempt });
    let reason: string;
    try {
      const connection = await connectBridge(new WebSocket(url));
      try {
        const detach = await attachApi(connection.api, 'bridge');
        everConnected = true;
        attempt = 0;
        await connection.closed;
        detach();
        reason = 'the connection to the Switchyard core closed';
      } catch (error) {
        connection.close();
        reason = describe(error);
      }
    } catch {
      reason = everConnected
        ? 'the Switchyard core is not answering'
        : 'the Switchyard core refused the connection or is not running';
    }
    const delay = backoffDelay(Math.max(1, attempt));
    setBridgeState({ status: 'down', everConnected, attempt: Math.max(1, attempt), retryAt: Date.now() + delay, reason });
    await wait(delay);
  }
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      retryNow = null;
      resolve();
    }
    retryNow = done;
  });
}

/** `window.sessionStorage` throws when storage is disabled for the page. */
function sessionStorageOrUndefined(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
