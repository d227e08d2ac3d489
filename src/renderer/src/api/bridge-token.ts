/**
 * The headless host's bridge token: read from the address bar once, then taken out of it.
 *
 * The host prints `http://127.0.0.1:<port>/?token=…`. Left in the address bar, the
 * token would sit in the browser's history and session restore, in bookmarks, in a
 * screenshot or a screen share, and in anything copied from the address bar. So once
 * read it is removed with `history.replaceState` (no reload, the `#/view` hash kept),
 * and the tab keeps it in sessionStorage: a reload still connects, closing the tab
 * forgets it, other tabs and origins never see it.
 */
import { readToken } from './bridge-url.js';

/** The sessionStorage key the tab keeps the token under. */
export const TOKEN_STORAGE_KEY = 'switchyard.bridge-token';

/** The parts of `window` this needs, so a test can pass jsdom's or its own. */
export interface TokenPlace {
  location: Pick<Location, 'href'>;
  history: Pick<History, 'replaceState' | 'state'>;
  /** Absent (or throwing) when the browser refuses storage: the token then lasts until a reload. */
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * The bridge token: from the URL (which is then cleaned), else the one this tab kept.
 * Null when there is neither.
 */
export function takeBridgeToken(place: TokenPlace): string | null {
  const url = new URL(place.location.href);
  const fromUrl = readToken(url.search);
  if (url.searchParams.has('token')) {
    url.searchParams.delete('token');
    place.history.replaceState(place.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  }
  if (fromUrl !== null) {
    try {
      place.storage?.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage disabled: this page still connects; a reload will need the printed URL again.
    }
    return fromUrl;
  }
  try {
    const kept = place.storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
    return kept === null || kept.trim() === '' ? null : kept;
  } catch {
    return null;
  }
}
