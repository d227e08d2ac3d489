/**
 * Temp folders for tests, always removed: a test that fails half-way leaves nothing in
 * the OS temp folder either.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A temp folder the caller removes (in its own afterEach/afterAll or cleanup list). */
export function makeTempDir(prefix = 'sy-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Call at the top of a describe block (or file): returns a maker of temp folders that
 * are all removed after each test, passed or failed.
 */
export function tempDirsPerTest(prefix = 'sy-test-'): () => string {
  const made: Array<{ remove(): void }> = [];
  afterEach(() => {
    for (const dir of made.splice(0)) dir.remove();
  });
  return () => {
    const dir = makeTempDir(prefix);
    made.push(dir);
    return dir.path;
  };
}
