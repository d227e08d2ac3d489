/**
 * The local gateway: a WebSocket server on 127.0.0.1 where external local agents (an
 * IDE extension, a CLI) speak the agent protocol, one JSON line per frame.
 *
 * Three checks stand before a connection: it must be local (the bind address), carry
 * the token from the 0600 file (`?token=` or `Authorization: Bearer`), and come from
 * no browser (a request with an Origin header is a web page, refused unless the
 * origin is allowlisted), so a page the developer visits cannot drive their agents.
 *
 * No input ends the host: the upgrade and message handlers are guarded, every socket and
 * the server have `error` listeners, and each line is read with the size and depth
 * limits of json-limits.ts before its schema (docs/security.md).
 */
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import { rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { MAX_LINE_BYTES, PROTOCOL_VERSION } from '../../shared/agent-protocol.js';
import type { SwitchyardLine } from '../../shared/agent-protocol.js';
import { parseAgentLine } from '../agents/line-splitter.js';
import { readRequestTarget } from '../bridge/request-target.js';
import type { GatewaySession, SessionHost } from './gateway-sessions.js';
import { GatewaySessions } from './gateway-sessions.js';
import { GATEWAY_TOKEN_FILE, readOrCreateGatewayToken, tokenMatches } from './gateway-token.js';

/** Written next to the token so external agents can find the port. */
export const GATEWAY_ENDPOINT_FILE = 'gateway.json';

export interface GatewayOptions extends Omit<SessionHost, 'heartbeatIntervalMs' | 'failureThreshold'> {
  dataDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Browser origins allowed to connect (for a web-based agent UI); none by default. */
  allowedOrigins?: string[];
  /** What agents are told in `welcome`; missing `failureThreshold` of them is unreachable. */
  heartbeatIntervalMs?: number;
  failureThreshold?: number;
  sweepIntervalMs?: number;
}

export class LocalGateway {
  readonly sessions: GatewaySessions;
  private readonly sweepTimer: NodeJS.Timeout;

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    private readonly wss: WebSocketServer,
    readonly port: number,
    readonly tokenFile: string,
    private readonly endpointFile: string,
    sessions: GatewaySessions,
    sweepIntervalMs: number,
  ) {
    this.sessions = sessions;
    this.sweepTimer = setInterval(() => sessions.sweep(), sweepIntervalMs);
    this.sweepTimer.unref();
  }

  /** Where agents connect (without the token). */
  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  static async start(options: GatewayOptions): Promise<LocalGateway> {
    const tokenFile = join(options.dataDir, GATEWAY_TOKEN_FILE);
    const token = readOrCreateGatewayToken(tokenFile);
    const allowed = new Set(options.allowedOrigins ?? []);
    const sessions = new GatewaySessions({
      ...options,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 5_000,
      failureThreshold: options.failureThreshold ?? 3,
    });
    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_LINE_BYTES });
    wss.on('error', () => undefined);
    const server = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('Switchyard agent gateway: connect with WebSocket\n');
    });
    const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
      const target = readRequestTarget(req.url);
      if (!target) return refuse(socket, 400, 'Bad Request');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowed.has(origin)) return refuse(socket, 403, 'Forbidden');
      if (!tokenMatches(tokenOf(req, target), token)) return refuse(socket, 401, 'Unauthorized');
      wss.handleUpgrade(req, socket, head, (ws) => serve(sessions, ws, req));
    };
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Upgraded sockets lose the HTTP server's listeners: a reset would otherwise be unhandled.
      socket.on('error', () => socket.destroy());
      try {
        upgrade(req, socket, head);
      } catch {
        refuse(socket, 400, 'Bad Request');
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    // After listening, a server error (e.g. EMFILE on accept) must not end the host; connections carry on.
    server.on('error', () => undefined);
    const port = (server.address() as AddressInfo).port;
    const endpointFile = join(options.dataDir, GATEWAY_ENDPOINT_FILE);
    writeFileSync(endpointFile, `${JSON.stringify({ url: `ws://127.0.0.1:${port}`, pid: process.pid })}\n`, { mode: 0o600 });
    return new LocalGateway(server, wss, port, tokenFile, endpointFile, sessions, options.sweepIntervalMs ?? 1_000);
  }

  /** Writes a line to the connected external agent `name`; false when none is connected. */
  deliver(name: string, repo: string, line: SwitchyardLine): boolean {
    const session = this.sessions.connected(name, repo);
    return session ? this.sessions.write(session, line) : false;
  }

  /** Sends `shutdown` to every connected agent, closes the server and removes gateway.json. */
  async close(reason = 'Switchyard is closing'): Promise<void> {
    clearInterval(this.sweepTimer);
    for (const session of this.sessions.all()) if (session.socket) this.sessions.stop(session, reason);
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.endpointFile, { force: true });
  }
}

function tokenOf(req: IncomingMessage, target: URL): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return target.searchParams.get('token') ?? undefined;
}

function refuse(socket: Duplex, status: number, text: string): void {
  if (socket.destroyed) return;
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** One connection: hello first, then lines; every frame parsed with the protocol schemas. */
function serve(sessions: GatewaySessions, ws: WebSocket, req: IncomingMessage): void {
  const endpoint = `gateway:${req.socket.remoteAddress ?? '127.0.0.1'}:${req.socket.remotePort ?? 0}`;
  let session: GatewaySession | undefined;
  const reply = (line: SwitchyardLine): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(line));
  };
  ws.on('message', (data: RawData) => {
    try {
      onFrame(frameText(data));
    } catch (error) {
      // A defect, not an input: reported to the agent and logged, never fatal to the host.
      const message = `the gateway could not handle that frame: ${error instanceof Error ? error.message : String(error)}`;
      session?.log.add(sessions.now(), 'protocol', 'error', message);
      reply({ type: 'error', code: 'bad-line', message });
    }
  });
  /** Handles every line of one frame (several lines may share a frame). */
  function onFrame(frame: string): void {
    for (const text of frame.split('\n')) {
      if (text.trim() === '') continue;
      const parsed = parseAgentLine(text);
      if (!parsed.ok) {
        session?.log.add(sessions.now(), 'protocol', 'warn', `${parsed.code}: ${parsed.message}`);
        reply({ type: 'error', code: parsed.code, message: parsed.message, ...(parsed.ref ? { ref: parsed.ref } : {}) });
        continue;
      }
      const line = parsed.line;
      if (line.type === 'hello') {
        const result = sessions.hello(line, ws, endpoint);
        if ('code' in result) {
          reply({ type: 'error', code: result.code, message: result.message });
          ws.close(4400, result.code);
          return;
        }
        session = result;
        reply({
          type: 'welcome',
          protocol: PROTOCOL_VERSION,
          name: session.name,
          repo: session.repo,
          instanceId: session.instanceId,
          heartbeatIntervalMs: sessions.heartbeatIntervalMs,
        });
      } else if (!session) {
        reply({ type: 'error', code: 'hello-required', message: 'say hello (with a name and an instanceId) first' });
      } else {
        sessions.line(session, line);
      }
    }
  }
  ws.on('close', () => {
    if (session) sessions.disconnected(session, ws);
  });
  ws.on('error', () => undefined);
}

function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
