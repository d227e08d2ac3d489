/**
 * The path and query of an HTTP request target, read without throwing.
 *
 * `new URL(request.url, base)` throws on targets a client may send at will: `//` (read
 * as a scheme-relative URL with an empty host), `//[`, `http://`… Thrown inside a
 * request or upgrade handler, that ended the host. Every listener of ours reads the
 * target here instead and answers 400 when it is null.
 */

/** The origin-form target (`/path?query`) as a URL on a fixed local base, or null when it is not one. */
export function readRequestTarget(target: string | undefined): URL | null {
  if (target === undefined || !target.startsWith('/')) return null;
  try {
    // Appended to an origin, never resolved against one: `//x` stays the path `//x`.
    return new URL(`http://127.0.0.1${target}`);
  } catch {
    return null;
  }
}
