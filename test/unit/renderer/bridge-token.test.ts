// @vitest-environment jsdom
/**
 * The bridge token leaves the address bar as soon as the page has read it, and a
 * reload of the same tab still finds it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_STORAGE_KEY, takeBridgeToken } from '../../../src/renderer/src/api/bridge-token.js';

const place = () => ({ location: window.location, history: window.history, storage: window.sessionStorage });

beforeEach(() => {
  window.sessionStorage.clear();
});
afterEach(() => {
  window.history.replaceState(null, '', '/');
});

describe('takeBridgeToken', () => {
  it('reads ?token=, removes it from the address bar and keeps the rest of the URL', () => {
    window.history.replaceState({ kept: 1 }, '', '/?lang=en&token=s3cret-bridge-token#/settings');
    expect(takeBridgeToken(place())).toBe('s3cret-bridge-token');
    expect(window.location.href).not.toContain('s3cret-bridge-token');
    expect(window.location.search).toBe('?lang=en');
    expect(window.location.hash).toBe('#/settings');
    expect(window.history.state).toEqual({ kept: 1 });
    // No new history entry: Back does not bring the token back.
    expect(window.history.length).toBe(1);
  });

  it('finds the token again after a reload of the same tab, and nothing without one', () => {
    window.history.replaceState(null, '', '/?token=s3cret-bridge-token');
    takeBridgeToken(place());
    expect(window.sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('s3cret-bridge-token');
    // The reload: the address bar has no token any more.
    expect(takeBridgeToken(place())).toBe('s3cret-bridge-token');

    window.sessionStorage.clear();
    expect(takeBridgeToken(place())).toBeNull();
  });

  it('prefers a newer token in the URL to the one kept, and works without storage', () => {
    window.sessionStorage.setItem(TOKEN_STORAGE_KEY, 'old-token');
    window.history.replaceState(null, '', '/?token=new-token');
    expect(takeBridgeToken(place())).toBe('new-token');
    window.history.replaceState(null, '', '/?token=no-storage-token');
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(takeBridgeToken({ location: window.location, history: window.history, storage: refusing })).toBe('no-storage-token');
    expect(window.location.href).not.toContain('no-storage-token');
  });

  it('removes a blank ?token= too', () => {
    window.history.replaceState(null, '', '/?token=#/agents');
    expect(takeBridgeToken(place())).toBeNull();
    expect(window.location.href).toBe(`${window.location.origin}/#/agents`);
  });
});
