/**
 * The host's pure rules: which renderer URL is loaded, and which navigations stay.
 */
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, chooseRendererUrl, isOurPage, navigationDecision } from '../../../src/main/security-policy.js';

describe('chooseRendererUrl', () => {
  it('loads app:// when no dev server is given, packaged or not', () => {
    expect(chooseRendererUrl({ isPackaged: false, devUrl: undefined })).toEqual({ url: 'app://switchyard/index.html' });
    expect(chooseRendererUrl({ isPackaged: true, devUrl: '' })).toEqual({ url: APP_ENTRY_URL });
  });

  it.each(['http://localhost:5173', 'http://127.0.0.1:5173/', 'http://[::1]:5173/'])(
    'in development uses the loopback dev server %s',
    (devUrl) => {
      const choice = chooseRendererUrl({ isPackaged: false, devUrl });
      expect(choice.refused).toBeUndefined();
      expect(new URL(choice.url).port).toBe('5173');
    },
  );

  it('ignores ELECTRON_RENDERER_URL in a packaged app, even a loopback one, and says why', () => {
    const choice = chooseRendererUrl({ isPackaged: true, devUrl: 'http://localhost:5173' });
    expect(choice.url).toBe(APP_ENTRY_URL);
    expect(choice.refused).toMatch(/ignored in a packaged app/);
  });

  it.each([
    'https://evil.example',
    'http://evil.example:5173',
    'http://localhost.evil.example:5173',
    'http://127.0.0.2:5173',
    'https://localhost:5173',
    'file:///etc/passwd',
    'http://user:pass@localhost:5173',
    'not a url',
  ])('in development refuses %s and falls back to app://', (devUrl) => {
    const choice = chooseRendererUrl({ isPackaged: false, devUrl });
    expect(choice.url).toBe(APP_ENTRY_URL);
    expect(choice.refused).toMatch(/must be an http URL on 127\.0\.0\.1, localhost or \[::1\]/);
  });
});

describe('navigation', () => {
  it.each([
    APP_ENTRY_URL,
    `${APP_ENTRY_URL}#/traces`,
    `${APP_ENTRY_URL}?token=x#/settings`,
  ])('stays on our page: %s', (url) => {
    expect(navigationDecision(url, APP_ENTRY_URL)).toBe('allow');
    expect(isOurPage(url, APP_ENTRY_URL)).toBe(true);
  });

  it.each([
    'https://github.com/',
    'file:///home/user/index.html',
    'app://switchyard/other.html',
    'app://other/index.html',
    'http://localhost:5173/',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'not a url',
    '',
  ])('denies %s (link, redirect or sub-frame alike)', (url) => {
    expect(navigationDecision(url, APP_ENTRY_URL)).toBe('deny');
  });

  it('with the dev server, stays on the dev server page only', () => {
    const dev = 'http://localhost:5173/';
    expect(navigationDecision('http://localhost:5173/#/agents', dev)).toBe('allow');
    expect(navigationDecision('http://localhost:5174/', dev)).toBe('deny');
    expect(navigationDecision(APP_ENTRY_URL, dev)).toBe('deny');
  });
});
