/**
 * A TCP proxy between one client and a server that forwards both ways until what the
 * server sends matches `holdWhen`; from then on nothing more reaches the client (its
 * own bytes still reach the server). A test uses it to freeze a real process at an
 * exact point of a protocol exchange — for example right after the server acknowledged
 * one write — and then kill it there, deterministically.
 *
 * Server-to-client WebSocket frames are not masked, so a NATS subject or JSON field in
 * them can be matched as text. Client-to-server frames are masked; `onClientText` gets
 * them unmasked (after the HTTP upgrade), so a test can learn, say, the reply subject
 * of one publish and hold exactly at its acknowledgement.
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

export interface HoldProxyOptions {
  scheme?: string;
  /** The client's bytes as text, WebSocket frames unmasked, once armed. */
  onClientText?: (text: string) => void;
}

export async function startHoldProxy(
  target: { host: string; port: number },
  holdWhen: (text: string) => boolean,
  options: HoldProxyOptions = {},
): Promise<HoldProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let armed = false;
  let holding = false;
  let onHeld!: () => void;
  const held = new Promise<void>((resolve) => (onHeld = resolve));
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const frames = webSocketClientReader((text) => {
      if (armed) options.onClientText?.(text);
    });
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      if (options.onClientText) frames(chunk);
    });
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
    url: `${options.scheme ?? 'ws'}://127.0.0.1:${port}`,
    held,
    arm: () => (armed = true),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Reads a client's side of a WebSocket connection chunk by chunk: skips the HTTP upgrade
 * request, then hands each frame's unmasked payload (RFC 6455 §5.2) to `onText`.
 */
function webSocketClientReader(onText: (text: string) => void): (chunk: Buffer) => void {
  let buffered = Buffer.alloc(0);
  let upgraded = false;
  return (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (!upgraded) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      buffered = buffered.subarray(end + 4);
      upgraded = true;
    }
    for (;;) {
      if (buffered.length < 2) return;
      const masked = (buffered[1]! & 0x80) !== 0;
      let length = buffered[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffered.length < 4) return;
        length = buffered.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffered.length < 10) return;
        length = Number(buffered.readBigUInt64BE(2));
        offset = 10;
      }
      const maskAt = offset;
      if (masked) offset += 4;
      if (buffered.length < offset + length) return;
      const payload = Buffer.from(buffered.subarray(offset, offset + length));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= buffered[maskAt + (i % 4)]!;
      buffered = buffered.subarray(offset + length);
      onText(payload.toString('latin1'));
    }
  };
}
