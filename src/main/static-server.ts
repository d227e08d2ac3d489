/**
 * Serves the built renderer to a browser, with the same CSP the Electron window uses.
 *
 * Request targets are untrusted: a target that is not a path is answered 400, and the
 * path goes through the same rule as Electron's `app://` (renderer-files.ts), so nothing
 * outside the root is ever read (docs/security.md). The handler never throws: `guardRequests` wraps
 * it (and any other handler) so a defect answers 500 instead of ending the host.
 */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { readRequestTarget } from '../core/bridge/request-target.js';
import { contentTypeOf, resolveRendererPath } from './renderer-files.js';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.js';

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
    const url = readRequestTarget(request.url);
    const resolved = url ? resolveRendererPath(base, url.pathname) : undefined;
    if (!resolved?.ok) {
      response.writeHead(resolved?.status ?? 400, { 'Content-Type': 'text/plain' }).end(`${resolved?.reason ?? 'not a request path'}\n`);
      return;
    }
    const file = isFile(resolved.file) ? resolved.file : index;
    if (!isFile(file)) {
      response.writeHead(500, { 'Content-Type': 'text/plain' }).end('The renderer is not built: run `npm run build`.');
      return;
    }
    response.writeHead(200, {
      'Content-Type': contentTypeOf(file),
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
