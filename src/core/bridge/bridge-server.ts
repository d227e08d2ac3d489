/**
 * The WebSocket bridge: the contract over JSON frames for a browser renderer or the
 * CLI, attached to a host's HTTP server.
 *
 * Guarded twice: a random token (in the URL the host prints, or a Bearer header) and
 * an Origin check, so a web page the user happens to visit cannot drive the core.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { ServerFrame } from '../../shared/bridge-protocol.js';
import { BRIDGE_PATH, CallFrame } from '../../shared/bridge-protocol.js';
import { eventNames } from '../../shared/contract.js';
import { BadFrame, ValidationError, toErrorPayload } from '../../shared/errors.js';
import type { Core } from '../core.js';

export interface BridgeOptions {
  core: Pick<Core, 'call' | 'on'>;
  token: string;
  /** Origins a browser may connect from; a request without Origin (CLI, tests) passes. */
  isAllowedOrigin(origin: string): boolean;
  /** Largest frame accepted, in bytes. */
  maxPayload?: number;
}

export interface Bridge {
  /** Open client sockets, for the host's shutdown and for tests. */
  clients(): number;
  close(): Promise<void>;
}

export function attachBridge(server: Server, options: BridgeOptions): Bridge {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 4 * 1024 * 1024 });
  const expected = Buffer.from(options.token);

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== BRIDGE_PATH) return refuse(socket, 404, 'Not Found');
    const origin = request.headers.origin;
    if (origin !== undefined && !options.isAllowedOrigin(origin)) return refuse(socket, 403, 'Forbidden origin');
    const given = url.searchParams.get('token') ?? bearer(request.headers.authorization) ?? '';
    if (!sameToken(Buffer.from(given), expected)) return refuse(socket, 401, 'Unauthorized');
    wss.handleUpgrade(request, socket, head, (ws) => serve(ws, options));
  };
  server.on('upgrade', onUpgrade);

  return {
    clients: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.off('upgrade', onUpgrade);
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

function serve(ws: WebSocket, options: BridgeOptions): void {
  const send = (frame: ServerFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const unsubscribe = eventNames.map((event) =>
    options.core.on(event, (payload) => send({ type: 'event', event, payload })),
  );
  ws.on('close', () => unsubscribe.forEach((stop) => stop()));
  ws.on('message', (data, isBinary) => {
    void handleFrame(isBinary ? null : data.toString(), options, send);
  });
}

async function handleFrame(text: string | null, options: BridgeOptions, send: (frame: ServerFrame) => void) {
  let json: unknown;
  try {
    if (text === null) throw new BadFrame('binary frames are not part of the bridge protocol');
    json = JSON.parse(text);
  } catch (error) {
    const cause = error instanceof BadFrame ? error : new BadFrame('frame is not JSON', { cause: error });
    send({ type: 'result', id: null, result: { ok: false, error: toErrorPayload(cause) } });
    return;
  }
  const frame = CallFrame.safeParse(json);
  if (!frame.success) {
    const id = readId(json);
    const error = ValidationError.fromZod('bridge frame', frame.error);
    send({ type: 'result', id, result: { ok: false, error: { ...toErrorPayload(error), name: 'BadFrame' } } });
    return;
  }
  const result = await options.core.call(frame.data.call, frame.data.input);
  send({ type: 'result', id: frame.data.id, result });
}

/** The id of a frame that failed its schema, if it has a usable one, so the caller can match the error. */
function readId(json: unknown): number | null {
  const id = typeof json === 'object' && json !== null ? (json as { id?: unknown }).id : undefined;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null;
}

function bearer(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

function sameToken(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}
