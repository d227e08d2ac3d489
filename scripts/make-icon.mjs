#!/usr/bin/env node
// Draws the app icon, resources/icon.png (512×512 RGBA): a main line and two branches
// leaving it at a switch, on a dark rounded square. Plain Node (zlib), no image library,
// so the icon can be redrawn anywhere: `node scripts/make-icon.mjs [size] [file]`.
// electron-builder makes the .icns (dmg) and .ico (nsis) from it; it needs 512 or more.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const BACKGROUND = [27, 33, 48];
const MAIN = [226, 232, 240];
const YELLOW = [251, 191, 36];
const TEAL = [45, 212, 191];

/** Shapes on a 256-unit canvas, painted in order: [kind, colour, ...geometry]. */
const SHAPES = [
  ['segment', MAIN, 40, 188, 216, 188, 7],
  ['disc', MAIN, 216, 188, 16],
  ['segment', YELLOW, 38, 128, 80, 128, 7],
  ['segment', YELLOW, 80, 128, 98, 188, 7],
  ['disc', YELLOW, 38, 128, 16],
  ['segment', TEAL, 98, 188, 200, 78, 7],
  ['disc', TEAL, 200, 78, 16],
];

function distanceToSegment(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function insideRoundedSquare(x, y, inset, radius) {
  const lo = inset + radius;
  const hi = 256 - inset - radius;
  const cx = Math.max(lo, Math.min(hi, x));
  const cy = Math.max(lo, Math.min(hi, y));
  return Math.hypot(x - cx, y - cy) <= radius;
}

/** The colour at a point of the 256-unit canvas, or null outside the icon. */
function colourAt(x, y) {
  if (!insideRoundedSquare(x, y, 8, 40)) return null;
  let colour = BACKGROUND;
  for (const [kind, fill, ...g] of SHAPES) {
    const hit = kind === 'disc' ? Math.hypot(x - g[0], y - g[1]) <= g[2] : distanceToSegment(x, y, g[0], g[1], g[2], g[3]) <= g[4];
    if (hit) colour = fill;
  }
  return colour;
}

/** RGBA pixels, 4×4 samples per pixel for smooth edges. */
export function drawIcon(size) {
  const samples = 4;
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = colourAt(((px + (sx + 0.5) / samples) * 256) / size, ((py + (sy + 0.5) / samples) * 256) / size);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          a += 1;
        }
      }
      const at = (py * size + px) * 4;
      if (a > 0) {
        pixels[at] = Math.round(r / a);
        pixels[at + 1] = Math.round(g / a);
        pixels[at + 2] = Math.round(b / a);
      }
      pixels[at + 3] = Math.round((a * 255) / (samples * samples));
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG file of RGBA pixels (8 bits per channel, no filter). */
export function encodePng(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const size = Number(process.argv[2] ?? 512);
  const file = process.argv[3] ?? fileURLToPath(new URL('../resources/icon.png', import.meta.url));
  writeFileSync(file, encodePng(size, drawIcon(size)));
  console.log(`wrote ${file} (${size}×${size})`);
}
