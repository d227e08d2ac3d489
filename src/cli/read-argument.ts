/**
 * Text arguments that may name a file: `@notes.md` reads the file, `@-` reads stdin,
 * `@@x` is the literal text `@x`. Relative paths resolve against the working folder.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './cli-errors.js';

export function readTextArgument(text: string, what: string, cwd: string): string {
  if (text.startsWith('@@')) return text.slice(1);
  if (!text.startsWith('@')) return text;
  const path = text.slice(1);
  try {
    return path === '-' ? readFileSync(0, 'utf8') : readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw new UsageError(`${what}: cannot read ${path === '-' ? 'stdin' : path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
