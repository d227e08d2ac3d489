/**
 * A TCP proxy between one client and a server that forwards both ways until what the
 * server sends matches `holdWhen`; from then on nothing more reaches the client (its
 * own bytes still reach the server). A test uses it to freeze a real process at an
 * exact point of a protocol exchange — for example right after the server acknowledged
 * one write — and then kill it there, deterministically.
 *
 * Server-to-client WebSocket frames are not masked, so a NATS subject or JSON field in
 * them can be matched as text.
 */
import type { Socket } from 'node:net';
import { connect, createServer } from 'node:net';
import { freePort } from './free-port.js';

export interface HoldProxy {
  /** ws://127.0.0.1:<port> (or the scheme given): where the client connects. */
  readonly url: string;
  /** Resolves when the hold began. */
  readonly held: Promise<void>;
  /** Starts watching for `holdWhen` (before that everything flows). */
  arm(): void;
  close(): Promise<void>;
}

export async function startHoldProxy(target: { host: string; port: number }, holdWhen: (text: string) => boolean, scheme = 'ws'): Promise<HoldProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let armed = false;
  let holding = false;
  let onHeld!: () => void;
  const held = new Promise<void>((resolve) => (onHeld = resolve));
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (!holding && armed && holdWhen(chunk.toString('latin1'))) {
        holding = true;
        onHeld();
      }
      if (!holding) client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    held,
    arm: () => (armed = true),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
