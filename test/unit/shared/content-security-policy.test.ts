/**
 * One CSP: the hosts send CONTENT_SECURITY_POLICY as a header, and the build writes the
 * same policy into index.html's <meta> tag (scripts/csp-html-plugin.ts). The meta copy
 * used to be hand-written and had drifted (no `img-src`, no `object-src 'none'`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CSP_PLACEHOLDER, contentSecurityPolicyPlugin, injectContentSecurityPolicy } from '../../../scripts/csp-html-plugin.js';
import {
  CONTENT_SECURITY_POLICY,
  HEADER_ONLY_DIRECTIVES,
  META_CONTENT_SECURITY_POLICY,
} from '../../../src/shared/content-security-policy.js';

const INDEX_HTML = readFileSync(new URL('../../../src/renderer/index.html', import.meta.url), 'utf8');

/** The content of every CSP <meta> tag of `html`, attribute-decoded. */
function metaPolicies(html: string): string[] {
  const tags = html.match(/<meta\s[^>]*http-equiv="Content-Security-Policy"[^>]*>/g) ?? [];
  return tags.map((tag) => /content="([^"]*)"/.exec(tag)![1]!.replaceAll('&quot;', '"').replaceAll('&amp;', '&'));
}

/** A policy as directive name → sources. */
function directives(policy: string): Map<string, string> {
  return new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources.join(' ')]));
}

/** Runs the plugin as Vite would: its transformIndexHtml handler on the page. */
function transformWithPlugin(html: string): string {
  const hook = contentSecurityPolicyPlugin().transformIndexHtml;
  if (typeof hook !== 'object' || hook === null || !('handler' in hook)) throw new Error('the plugin has no transformIndexHtml handler');
  expect(hook.order).toBe('pre');
  const handler = hook.handler as (html: string) => string;
  return handler(html);
}

describe('the content security policy', () => {
  it('index.html, as built, carries the shared policy in its one CSP <meta> tag', () => {
    expect(metaPolicies(transformWithPlugin(INDEX_HTML))).toEqual([META_CONTENT_SECURITY_POLICY]);
  });

  it('the <meta> policy is the header policy, directive by directive, less the directives a <meta> cannot carry', () => {
    const header = directives(CONTENT_SECURITY_POLICY);
    const meta = directives(META_CONTENT_SECURITY_POLICY);
    for (const [name, sources] of meta) expect(header.get(name), name).toBe(sources);
    const onlyInHeader = [...header.keys()].filter((name) => !meta.has(name));
    expect(onlyInHeader).toEqual(['frame-ancestors']);
    for (const name of onlyInHeader) expect(HEADER_ONLY_DIRECTIVES.has(name)).toBe(true);
    // The two directives the hand-written tag had lost.
    expect(meta.get('img-src')).toBe("'self' data:");
    expect(meta.get('object-src')).toBe("'none'");
    expect(meta.get('script-src')).toBe("'self'");
  });

  it('the build fails, rather than ship a page without it, when index.html lacks the placeholder', () => {
    const handWritten = INDEX_HTML.replace(CSP_PLACEHOLDER, "default-src 'self'");
    expect(() => transformWithPlugin(handWritten)).toThrow(/must hold one <meta http-equiv="Content-Security-Policy"/);
    expect(() => injectContentSecurityPolicy('<!doctype html><html><head></head></html>')).toThrow(/must hold one/);
  });

  it('the build fails when a second CSP tag appears beside the placeholder', () => {
    const twice = INDEX_HTML.replace('<title>', `<meta http-equiv="Content-Security-Policy" content="default-src *" /><title>`);
    expect(() => injectContentSecurityPolicy(twice)).toThrow(/no other CSP tag/);
  });
});
