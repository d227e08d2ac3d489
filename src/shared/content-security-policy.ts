/**
 * The content security policy of every page of ours, written once: the Electron host
 * (app:// and the dev server) and the headless host send it as a header, and the build
 * writes it into index.html's `<meta>` tag (scripts/csp-html-plugin.ts), so no copy can
 * drift. Pure strings: the build, the hosts and the tests all read them.
 *
 * Only our own files, no eval, no remote content; the bridge needs loopback sockets.
 * `style-src 'unsafe-inline'` is for Vite's dev server, which injects the stylesheets as
 * `<style>` elements (the Electron host sends this header to it too). The built renderer
 * needs none: React's `style` props go through the CSSOM, which CSP does not govern, and
 * every view loads without a violation under `style-src 'self'` (checked in Chromium).
 */

/** Each directive with its sources, in the order they are written. */
const DIRECTIVES: readonly (readonly [name: string, sources: string])[] = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data:"],
  ['connect-src', "'self' ws://127.0.0.1:* ws://localhost:*"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['frame-ancestors', "'none'"],
  ['form-action', "'none'"],
];

/**
 * Directives a `<meta>` policy cannot carry: browsers ignore them there and say so on
 * the console (CSP Level 3, §3.3). They reach the page through the header only.
 */
export const HEADER_ONLY_DIRECTIVES: ReadonlySet<string> = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

const written = (directives: typeof DIRECTIVES): string => directives.map(([name, sources]) => `${name} ${sources}`).join('; ');

/** The policy as the hosts send it, in the `Content-Security-Policy` header. */
export const CONTENT_SECURITY_POLICY = written(DIRECTIVES);

/** The same policy for index.html's `<meta>` tag: the header's, less the header-only directives. */
export const META_CONTENT_SECURITY_POLICY = written(DIRECTIVES.filter(([name]) => !HEADER_ONLY_DIRECTIVES.has(name)));
