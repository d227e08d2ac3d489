/**
 * The local gateway's token: a random secret in a 0600 file in the data folder.
 *
 * External agents run as the same OS user and read it from there; a browser page or
 * another user on the machine cannot. The file is created once and kept, so agents
 * configured with it keep working across restarts.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { writePrivateFile } from '../private-files.js';

/** The token file's name inside the data folder. */
export const GATEWAY_TOKEN_FILE = 'gateway-token';

/** Reads the token, creating the file (0600, atomically) when it is missing or empty. */
export function readOrCreateGatewayToken(file: string): string {
  if (existsSync(file)) {
    const value = readFileSync(file, 'utf8').trim();
    if (value.length >= 16) {
      // Tighten a file someone loosened by hand.
      if (process.platform !== 'win32') chmodSync(file, 0o600);
      return value;
    }
  }
  const token = randomBytes(32).toString('base64url');
  writePrivateFile(file, `${token}\n`);
  return token;
}

/** Compares in constant time so the token cannot be guessed byte by byte. */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
