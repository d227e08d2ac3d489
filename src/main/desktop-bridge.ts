/**
 * The desktop app's bridge: the same authenticated WebSocket bridge as the headless
 * host, on 127.0.0.1 with a random token, announced in `<data>/bridge.json`, so the
 * `switchyard` CLI drives the desktop exactly as it drives the headless host.
 *
 * No page is served and no browser origin is allowed: the window talks over IPC; only
 * clients that send no Origin (the CLI) and know the token get in. Kept free of
 * electron so it is tested with a real core in Node.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attachBridge } from '../core/bridge/bridge-server.js';
import type { BridgeOptions } from '../core/bridge/bridge-server.js';
import { publishBridgeDescriptor } from '../core/bridge/bridge-descriptor-file.js';

export interface DesktopBridge {
  /** The page-style URL with the token, as written in the descriptor. */
  url: string;
  descriptorFile: string;
  /** Removes the descriptor, closes every client and the listener. */
  close(): Promise<void>;
}

export async function startDesktopBridge(options: { core: BridgeOptions['core']; dataDir: string; port?: number }): Promise<DesktopBridge> {
  const token = randomBytes(24).toString('base64url');
  const server = createServer((_request, response) => {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('the desktop serves the bridge only\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.on('error', (error) => console.error(`switchyard: bridge server: ${error.message}`));
  const { port } = server.address() as AddressInfo;
  const bridge = attachBridge(server, { core: options.core, token, isAllowedOrigin: () => false });
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  const descriptor = publishBridgeDescriptor(options.dataDir, { url, port, token, pid: process.pid, host: 'electron' });
  return {
    url,
    descriptorFile: descriptor.file,
    async close() {
      descriptor.remove();
      await bridge.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
