/**
 * The value of the `Sy-Token` header: derived from the API token, never the token.
 *
 * An API token `user:secret` is also the member's NATS password, and `nats-server
 * --trace` logs message headers in clear. So the header carries a one-way,
 * domain-separated digest, `hex(sha256("switchyard sy-token v1\0" + token))`: it names
 * the caller to the coordinator (which derives the same value from each plaintext entry
 * of its tokens file, or reads it from a `sy-token:<hex>` entry) and lets nobody log
 * in to NATS. The domain string keeps it from matching any other hash of the token.
 *
 * This is the only place the derivation is written down; the desktop, the coordinator
 * and `switchyard-coordinator --hash-token` all call it.
 */
import { createHash } from 'node:crypto';

/** The domain separator; a new scheme gets a new version, never a changed string. */
export const SY_TOKEN_DOMAIN = 'switchyard sy-token v1\0';

/** The prefix of a tokens-file key that holds the derived value instead of the token. */
export const SY_TOKEN_KEY_PREFIX = 'sy-token:';

/** The `Sy-Token` header value of an API token: 64 lower-case hex characters. */
export function deriveSyToken(apiToken: string): string {
  return createHash('sha256').update(SY_TOKEN_DOMAIN + apiToken).digest('hex');
}

/** True for a well-formed derived value (what a `sy-token:` key must hold). */
export function isSyTokenValue(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}
