/**
 * `switchyard-coordinator --hash-token`: reads one API token on stdin and prints the
 * tokens-file key that stands for it, `sy-token:<hex>`, so the file need hold no
 * plaintext token. Reading stdin (not an argument) keeps the token out of the shell
 * history and the process list.
 */
import type { Readable } from 'node:stream';
import { SY_TOKEN_KEY_PREFIX, deriveSyToken } from '../core/sy-token.js';

/** The tokens-file key of a token as typed or piped: one trailing line break is not part of it. */
export function tokensFileKey(input: string): string {
  const token = input.replace(/\r?\n$/, '');
  if (token.length < 8) throw new Error('--hash-token reads one token of at least 8 characters on stdin');
  if (/[\r\n]/.test(token)) throw new Error('--hash-token reads one token per run; the input has several lines');
  return `${SY_TOKEN_KEY_PREFIX}${deriveSyToken(token)}`;
}

export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
