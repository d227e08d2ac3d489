/**
 * The WebSocket bridge: the contract over JSON frames for a browser renderer or the
 * CLI, attached to a host's HTTP server.
 *
 * Guarded twice: a random token (in the URL the host prints, or a Bearer header) and
 * an Origin check, so a web page the user happens to visit cannot drive the core.
 *
 * No input ends the host: the upgrade handler cannot throw (the target is read with
 * `readRequestTarget`, the rest is guarded), every socket has an `error` listener (ws
 * reports a malformed frame — bad UTF-8, unmasked, RSV bits, unknown opcode, bad close
 * code, over `maxPayload` — as an `error` on the socket, then closes it), and frames are
 * read with size and depth limits before any schema sees them.
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
import { parseJsonText } from '../../shared/json-limits.js';
import type { Core } from '../core.js';
import { readRequestTarget } from './request-target.js';

/** The largest frame accepted by default, in bytes (docs/security.md). */
export const BRIDGE_MAX_FRAME_BYTES = 4 * 1024 * 1024;

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
  const maxPayload = options.maxPayload ?? BRIDGE_MAX_FRAME_BYTES;
  const wss = new WebSocketServer({ noServer: true, maxPayload });
  wss.on('error', () => undefined);
  const expected = Buffer.from(options.token);

  const upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = readRequestTarget(request.url);
    if (!url) return refuse(socket, 400, 'Bad Request');
    if (url.pathname !== BRIDGE_PATH) return refuse(socket, 404, 'Not Found');
    const origin = request.headers.origin;
    if (origin !== undefined && !options.isAllowedOrigin(origin)) return refuse(socket, 403, 'Forbidden origin');
    const given = url.searchParams.get('token') ?? bearer(request.headers.authorization) ?? '';
    if (!sameToken(Buffer.from(given), expected)) return refuse(socket, 401, 'Unauthorized');
    wss.handleUpgrade(request, socket, head, (ws) => serve(ws, options, maxPayload));
  };
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // The HTTP server drops its own listeners from an upgraded socket: a reset would be unhandled.
    socket.on('error', () => socket.destroy());
    try {
      upgrade(request, socket, head);
    } catch {
      refuse(socket, 400, 'Bad Request');
    }
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

function serve(ws: WebSocket, options: BridgeOptions, maxPayload: number): void {
  const send = (frame: ServerFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const unsubscribe = eventNames.map((event) =>
    options.core.on(event, (payload) => send({ type: 'event', event, payload })),
  );
  ws.on('close', () => unsubscribe.forEach((stop) => stop()));
  // ws closes the socket itself (1002/1007/1009) after a protocol error; the listener keeps it from being fatal.
  ws.on('error', () => undefined);
  ws.on('message', (data, isBinary) => {
    handleFrame(isBinary ? null : data.toString(), options, maxPayload, send).catch((error: unknown) => {
      send({ type: 'result', id: null, result: { ok: false, error: toErrorPayload(error) } });
    });
  });
}

async function handleFrame(text: string | null, options: BridgeOptions, maxPayload: number, send: (frame: ServerFrame) => void) {
  let json: unknown;
  try {
    if (text === null) throw new BadFrame('binary frames are not part of the bridge protocol');
    json = parseJsonText(text, { maxBytes: maxPayload }, 'bridge frame');
  } catch (error) {
    // Not JSON, too large or too deep: a BadFrame that carries the ValidationError's issues.
    const payload = error instanceof ValidationError ? { ...toErrorPayload(error), name: 'BadFrame' } : toErrorPayload(error);
    send({ type: 'result', id: null, result: { ok: false, error: payload } });
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
  if (socket.destroyed) return;
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
