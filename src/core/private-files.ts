/**
 * Owner-only files and folders for what the core keeps on disk: the database (which
 * holds message bodies and traces), its WAL and shared-memory files, token files, and
 * the data folder around them.
 *
 * `mkdir`/`open` apply a mode only when they create, and the umask may loosen it, so
 * existing paths are tightened explicitly. POSIX only: Windows has no mode bits (its
 * profile folders are private by ACL).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, renameSync, writeFileSync } from 'node:fs';

const POSIX = process.platform !== 'win32';

/** Creates the folder if needed and makes it 0700. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (POSIX) chmodSync(dir, 0o700);
}

/** Creates the file empty if needed and makes it 0600. */
export function ensurePrivateFile(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  if (POSIX) chmodSync(file, 0o600);
}

/** Makes a file 0600 if it exists (a -wal or -shm file left by an older version). */
export function tightenIfPresent(file: string): void {
  if (POSIX && existsSync(file)) chmodSync(file, 0o600);
}

/**
 * Writes a file of secrets atomically and owner-only: a fresh temp file created 0600
 * (`wx`: never an older, looser file of the same name) renamed over the target, so a
 * reader sees the old content or the new, and the new one never had a wider mode.
 */
export function writePrivateFile(file: string, data: string): void {
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, data, { mode: 0o600, flag: 'wx' });
  renameSync(temp, file);
}
