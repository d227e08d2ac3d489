/**
 * Which links may open in the OS browser: https to an allow-listed host only.
 */
import { describe, expect, it } from 'vitest';
import { EXTERNAL_LINK_HOSTS, describeRefusedLink, externalLinkDecision } from '../../../src/main/external-links.js';

describe('externalLinkDecision', () => {
  it('allows https links to an allow-listed host', () => {
    expect(EXTERNAL_LINK_HOSTS.has('github.com')).toBe(true);
    expect(externalLinkDecision('https://github.com/some/repo/blob/main/docs/security.md#electron-host')).toEqual({
      allowed: true,
      url: 'https://github.com/some/repo/blob/main/docs/security.md#electron-host',
    });
    expect(externalLinkDecision('HTTPS://GitHub.com/x')).toEqual({ allowed: true, url: 'https://github.com/x' });
  });

  it.each([
    ['http://github.com/', /http: scheme/],
    ['file:///etc/passwd', /file: scheme/],
    ['smb://server/share', /smb: scheme/],
    ['javascript:alert(1)', /javascript: scheme/],
    ['vscode://extension/install', /vscode: scheme/],
    ['https://evil.example/', /evil\.example is not on the allow-list/],
    ['https://github.com.evil.example/', /not on the allow-list/],
    ['https://gist.github.com/', /not on the allow-list/],
    ['https://github.com:8443/', /default https port/],
    ['https://user:pw@github.com/', /credentials/],
    ['not a url', /not a valid URL/],
  ])('refuses %s', (url, reason) => {
    const decision = externalLinkDecision(url);
    expect(decision.allowed).toBe(false);
    if (!decision.allowed) expect(decision.reason).toMatch(reason);
  });

  it('takes another allow-list when given one', () => {
    expect(externalLinkDecision('https://docs.example.org/x', new Set(['docs.example.org'])).allowed).toBe(true);
    expect(externalLinkDecision('https://github.com/', new Set(['docs.example.org'])).allowed).toBe(false);
  });
});

describe('describeRefusedLink', () => {
  it('logs the origin and the reason, never the path or query (they may hold a token)', () => {
    const line = describeRefusedLink('https://evil.example/steal?token=secret123', 'evil.example is not on the allow-list');
    expect(line).toContain('https://evil.example');
    expect(line).toContain('not on the allow-list');
    expect(line).not.toContain('secret123');
    expect(line).not.toContain('/steal');
    expect(describeRefusedLink('file:///home/me/secret.txt', 'x')).not.toContain('secret.txt');
    expect(describeRefusedLink('nonsense', 'x')).toContain('a URL');
  });
});
