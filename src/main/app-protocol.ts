/**
 * The `app://switchyard/…` handler: serves the built renderer's files, and nothing
 * else, with our CSP. Written against the Fetch API's Request/Response (which
 * `protocol.handle` uses), so it runs and is tested under plain Node.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.js';
import { contentTypeOf, resolveRendererPath } from './renderer-files.js';
import { APP_HOST, parseUrl } from './security-policy.js';

const refuse = (status: number, text: string): Response =>
  new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });

/**
 * A handler for the files under `root` (the renderer output folder). Unknown hosts,
 * methods other than GET/HEAD, traversal and symbolic links that lead out of `root`
 * are refused.
 */
export function appProtocolHandler(root: string): (request: Request) => Promise<Response> {
  const base = resolve(root);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: { Allow: 'GET, HEAD' } });
    }
    const url = parseUrl(request.url);
    if (!url || url.host !== APP_HOST) return refuse(404, 'Not found');
    const resolved = resolveRendererPath(base, url.pathname);
    if (!resolved.ok) return refuse(resolved.status, resolved.status === 400 ? 'Bad request' : 'Not found');
    let file: string;
    try {
      // Compare real paths, so a symbolic link inside the folder cannot point outside it.
      const [realBase, realFile] = await Promise.all([realpath(base), realpath(resolved.file)]);
      if (!realFile.startsWith(realBase + sep) || !(await stat(realFile)).isFile()) return refuse(404, 'Not found');
      file = realFile;
    } catch {
      return url.pathname === '/' || url.pathname === '/index.html'
        ? refuse(404, 'The renderer is not built: run `npm run build`.')
        : refuse(404, 'Not found');
    }
    const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(file));
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': contentTypeOf(file),
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  };
}
