/**
 * The headless host: the same core as the desktop, an HTTP server on 127.0.0.1 for the
 * built renderer, and the WebSocket bridge. `npm run web` starts it; it prints the URL
 * (with its one-time token) to open in a browser.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { attachBridge } from '../core/bridge/bridge-server.js';
import { publishBridgeDescriptor } from '../core/bridge/bridge-descriptor-file.js';
import { createDesktop } from '../core/desktop/index.js';
import { resolveDataDir } from '../shared/data-dir.js';
import { parseHeadlessArgs } from './headless-args.js';
import { guardRequests, staticHandler } from './static-server.js';

async function main(): Promise<void> {
  const args = parseHeadlessArgs(process.argv.slice(2));
  const dataDir = args.dataDir ?? resolveDataDir({ env: process.env, platform: process.platform, homedir: homedir() });
  const here = dirname(fileURLToPath(import.meta.url));
  // Bundled into out/main/, so the checkout's resources are two folders up.
  const core = await createDesktop({
    dataDir,
    host: 'headless',
    agents: { builtinManifestDir: join(here, '../../resources/agents') },
  });
  const token = randomBytes(24).toString('base64url');
  const rendererRoot = join(here, '../renderer');
  const server = createServer(guardRequests(staticHandler(rendererRoot)));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(args.port, '127.0.0.1', () => resolve());
  });
  // Once listening, a server error is logged, not fatal (client sockets are Node's: it answers
  // their parse errors with 400; upgraded ones get their own listener in the bridge).
  server.on('error', (error) => console.error(`switchyard: HTTP server: ${error.message}`));
  const { port } = server.address() as AddressInfo;
  const ownOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, ...args.allowOrigin]);
  const bridge = attachBridge(server, { core, token, isAllowedOrigin: (origin) => ownOrigins.has(origin) });

  const url = `http://127.0.0.1:${port}/?token=${token}`;
  // So the CLI can find this core; readable by the user only.
  const descriptor = publishBridgeDescriptor(dataDir, { url, port, token, pid: process.pid, host: 'headless' });
  console.log(`Switchyard is running at ${url}`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    descriptor.remove();
    await bridge.close();
    server.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`switchyard: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
