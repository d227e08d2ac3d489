/**
 * The Electron host's security rules, as plain data and pure functions (no electron
 * import), so each rule is unit-tested and `index.ts` only wires them to events.
 *
 * - where our renderer is loaded from (`app://`, or a loopback dev server in development);
 * - which navigations stay in the window.
 *
 * Which links may leave for the OS browser lives in `external-links.ts`; the content
 * security policy, shared with the build and the headless host, in
 * `src/shared/content-security-policy.ts`.
 */

/**
 * The scheme the packaged renderer is served from. A privileged standard scheme gives
 * the page a real origin (`app://switchyard`) instead of `file://`, whose pages can
 * read any file the user can.
 */
export const APP_SCHEME = 'app';
/** The one host of that scheme; any other host is refused. */
export const APP_HOST = 'switchyard';
/** The renderer's entry page. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Where the renderer comes from, and why a dev server URL was not used (to log). */
export interface RendererUrlChoice {
  url: string;
  refused?: string;
}

/**
 * The URL the window loads: `app://` always, except in development (`!isPackaged`) where
 * electron-vite's dev server may be used, and only if it is a plain-http loopback URL —
 * an environment variable must never point a packaged app at remote content.
 */
export function chooseRendererUrl(options: { isPackaged: boolean; devUrl: string | undefined }): RendererUrlChoice {
  const { isPackaged, devUrl } = options;
  if (devUrl === undefined || devUrl === '') return { url: APP_ENTRY_URL };
  if (isPackaged) return { url: APP_ENTRY_URL, refused: 'ELECTRON_RENDERER_URL is ignored in a packaged app' };
  const parsed = parseUrl(devUrl);
  if (!parsed || parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.has(parsed.hostname) || parsed.username || parsed.password) {
    return { url: APP_ENTRY_URL, refused: 'ELECTRON_RENDERER_URL must be an http URL on 127.0.0.1, localhost or [::1]' };
  }
  return { url: parsed.href };
}

/**
 * Whether `url` is our renderer page: same scheme, host and path as `rendererUrl`. The
 * query and the hash may differ (the views are hash routes).
 */
export function isOurPage(url: string | undefined, rendererUrl: string): boolean {
  if (!url) return false;
  const given = parseUrl(url);
  const ours = parseUrl(rendererUrl);
  if (!given || !ours) return false;
  return given.protocol === ours.protocol && given.host === ours.host && given.pathname === ours.pathname;
}

/**
 * What to do with a navigation (`will-navigate`, `will-redirect`, `will-frame-navigate`):
 * stay only on our page; anything else is cancelled.
 */
export function navigationDecision(url: string, rendererUrl: string): 'allow' | 'deny' {
  return isOurPage(url, rendererUrl) ? 'allow' : 'deny';
}

/** `new URL` without the throw: an unparseable URL is simply not ours. */
export function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
