/**
 * Maps a URL path onto a file of the built renderer, refusing anything that would leave
 * its folder. Pure (no filesystem access, no electron), so `app://` and, once merged, the
 * headless static server can share one rule and one test.
 */
import { extname, join, normalize, resolve, sep } from 'node:path';

/** The content types the renderer build produces; anything else is served as bytes. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type RendererPath =
  | { ok: true; file: string }
  | { ok: false; status: 400 | 404; reason: string };

/**
 * The file under `root` that the URL path `urlPath` (still percent-encoded, as in
 * `URL.pathname`) names; `/` is `index.html`. Refused with 400: malformed escapes, NUL
 * bytes, backslashes (a separator on Windows) and a `..` segment that decoding brings
 * back (the URL parser has already resolved literal and `%2e%2e` ones). Refused with
 * 404: anything that would still normalise to `root` itself or outside it.
 *
 * The one rule for both ways the renderer is served: `app://` in Electron and the
 * headless host's static server.
 */
export function resolveRendererPath(root: string, urlPath: string): RendererPath {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 400, reason: 'malformed percent-encoding' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) {
    return { ok: false, status: 400, reason: 'forbidden character in path' };
  }
  if (decoded.split('/').includes('..')) return { ok: false, status: 400, reason: 'a ".." segment in the path' };
  const base = resolve(root);
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded;
  const candidate = normalize(join(base, relative));
  if (!candidate.startsWith(base + sep)) return { ok: false, status: 404, reason: 'outside the renderer folder' };
  return { ok: true, file: candidate };
}
