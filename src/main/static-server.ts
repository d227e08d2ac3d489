/**
 * Serves the built renderer to a browser, with the same CSP the Electron window uses.
 *
 * Request targets are untrusted: a target that is not a path, a malformed percent
 * escape, a NUL, a backslash or a `..` segment is answered 400, and nothing outside the
 * root is ever read (docs/security.md). The handler never throws: `guardRequests` wraps
 * it (and any other handler) so a defect answers 500 instead of ending the host.
 */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { readRequestTarget } from '../core/bridge/request-target.js';
import { CONTENT_SECURITY_POLICY } from './security-policy.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A request handler for the files under `root`; unknown paths get index.html (one-page app). */
export function staticHandler(root: string): Handler {
  const base = resolve(root);
  const index = join(base, 'index.html');
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const path = requestedPath(request.url);
    if (path === null) {
      response.writeHead(400, { 'Content-Type': 'text/plain' }).end('Bad request path\n');
      return;
    }
    const candidate = normalize(join(base, path));
    if (candidate !== base && !candidate.startsWith(base + sep)) {
      // Unreachable after requestedPath's checks; kept so no later change can serve outside the root.
      response.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden\n');
      return;
    }
    const file = isFile(candidate) ? candidate : index;
    if (!isFile(file)) {
      response.writeHead(500, { 'Content-Type': 'text/plain' }).end('The renderer is not built: run `npm run build`.');
      return;
    }
    response.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': file === index ? 'no-store' : 'max-age=3600',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(file)
      .on('error', () => response.destroy())
      .pipe(response);
  };
}

/**
 * The decoded path of a request target, or null when it is not one we serve: not an
 * origin-form target, a bad percent escape, a NUL, a backslash (a separator on Windows)
 * or a `..` segment (the URL parser removes literal and `%2e%2e` ones; this catches the
 * ones an encoded slash would bring back after decoding).
 */
export function requestedPath(target: string | undefined): string | null {
  const url = readRequestTarget(target);
  if (!url) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path.split('/').some((segment) => segment === '..')) return null;
  return path;
}

function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

/**
 * Wraps a request handler so that nothing it throws ends the process: the request is
 * answered 500 (or its socket closed, when the headers were already sent).
 */
export function guardRequests(handler: Handler): Handler {
  return (request, response) => {
    try {
      handler(request, response);
    } catch {
      if (response.headersSent) response.destroy();
      else response.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal error\n');
    }
  };
}
