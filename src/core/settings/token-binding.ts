/**
 * The stored API token belongs to the saved coordination URL.
 *
 * A fake server on loopback once captured user and token because `connection.test`
 * (and `config.set`) sent the stored token to whatever URL the request named. Now a
 * request that names another URL must carry its own token; otherwise it fails with
 * TokenNotForUrl before anything is sent or saved.
 */
import { sameCoordinationUrl } from '../../shared/config.js';
import { TokenNotForUrl } from '../../shared/errors.js';

export interface TokenRequest {
  /** Where the request would connect. */
  url: string;
  /** The token the request brings: a string, `null` to clear the stored one, or absent. */
  given: string | null | undefined;
  /** The coordination URL saved with the stored token. */
  savedUrl: string;
  /** Whether a token is stored (or overridden by the environment). */
  stored: boolean;
}

/**
 * Throws TokenNotForUrl when the stored token would be used for a URL other than the
 * saved one. An empty URL sends nothing anywhere, so it needs no token.
 */
export function assertStoredTokenMayGoTo(request: TokenRequest): void {
  if (request.given !== undefined || !request.stored || request.url.trim() === '') return;
  if (sameCoordinationUrl(request.url, request.savedUrl)) return;
  // The URL passed CoordinationUrl, which refuses credentials in it: safe to show.
  throw new TokenNotForUrl(request.url.trim());
}
