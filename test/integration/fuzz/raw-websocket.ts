/**
 * A WebSocket client on a raw TCP socket, so a test can write frames no library would:
 * unmasked, with RSV bits, unknown opcodes, invalid UTF-8, bad close codes.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

export interface RawUpgrade {
  /** The status line's code (101 when the upgrade was accepted). */
  status: number;
  socket: Socket;
  /** Bytes after the response headers (the first server frames). */
  rest: Buffer;
}

/** Sends an upgrade request for `target` and resolves with the response status. */
export function rawUpgrade(port: number, target: string, headers: Record<string, string> = {}): Promise<RawUpgrade> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      data = Buffer.concat([data, chunk]);
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data.toString('latin1'))?.[1] ?? 0);
      resolve({ status, socket, rest: data.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => resolve({ status: 0, socket, rest: Buffer.alloc(0) }));
    const lines = [
      `GET ${target} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

export interface FrameSpec {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  payload: Buffer;
  masked?: boolean;
  /** Overrides the length the header announces. */
  announcedLength?: number;
}

/** Encodes one frame as written by a client (masked unless told otherwise). */
export function encodeFrame(spec: FrameSpec): Buffer {
  const masked = spec.masked ?? true;
  const length = spec.announcedLength ?? spec.payload.length;
  const head: number[] = [((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | (spec.opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (length < 126) head.push(maskBit | length);
  else if (length < 65_536) {
    head.push(maskBit | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(length);
  } else {
    head.push(maskBit | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(length));
  }
  const key = masked ? randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(spec.payload);
  if (masked) for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!;
  return Buffer.concat([Buffer.from(head), ext, key, body]);
}

/** A server frame: opcode and payload (server frames are never masked). */
export interface ServerFrameBytes {
  opcode: number;
  payload: Buffer;
}

/** Reads server frames from a socket as they arrive; `next` waits for the next one (or null when closed). */
export class FrameReader {
  private buffer: Buffer;
  private readonly frames: ServerFrameBytes[] = [];
  private waiting: ((frame: ServerFrameBytes | null) => void) | undefined;
  private closed = false;

  constructor(socket: Socket, initial: Buffer) {
    this.buffer = initial;
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
    this.drain();
  }

  next(): Promise<ServerFrameBytes | null> {
    const frame = this.frames.shift();
    if (frame) return Promise.resolve(frame);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  private drain(): void {
    for (;;) {
      if (this.buffer.length < 2) break;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) break;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) break;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + length) break;
      this.frames.push({ opcode: this.buffer[0]! & 0x0f, payload: this.buffer.subarray(offset, offset + length) });
      this.buffer = this.buffer.subarray(offset + length);
    }
    this.wake();
  }

  private wake(): void {
    if (!this.waiting) return;
    const frame = this.frames.shift();
    if (!frame && !this.closed) return;
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve(frame ?? null);
  }
}

/** The close code in a close frame's payload, or null. */
export function closeCode(frame: ServerFrameBytes | null): number | null {
  return frame && frame.opcode === 8 && frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : null;
}

/** The malformed frames the issue names, each of which ended the host before the fix. */
export function namedMalformedFrames(maxPayload: number): Array<{ name: string; frame: Buffer; expectCode: number }> {
  return [
    { name: 'invalid UTF-8 text', frame: encodeFrame({ opcode: 1, payload: Buffer.from([0xc3, 0x28, 0xff]) }), expectCode: 1007 },
    { name: 'unmasked frame', frame: encodeFrame({ opcode: 1, payload: Buffer.from('{}'), masked: false }), expectCode: 1002 },
    { name: 'RSV1 set', frame: encodeFrame({ opcode: 1, rsv: 4, payload: Buffer.from('{}') }), expectCode: 1002 },
    { name: 'opcode 3', frame: encodeFrame({ opcode: 3, payload: Buffer.from('{}') }), expectCode: 1002 },
    { name: 'close code 999', frame: encodeFrame({ opcode: 8, payload: Buffer.from([0x03, 0xe7]) }), expectCode: 1002 },
    { name: 'frame over the size limit', frame: encodeFrame({ opcode: 1, payload: Buffer.alloc(0), announcedLength: maxPayload + 1 }), expectCode: 1009 },
  ];
}
