/**
 * A build step of the renderer: writes the content security policy into index.html's
 * `<meta>` tag, from src/shared/content-security-policy.ts, so the tag and the hosts'
 * header come from one definition. index.html holds a placeholder; a build whose page
 * lacks it (or holds a second CSP tag) fails instead of shipping a page without the policy.
 */
import type { Plugin } from 'vite';
import { META_CONTENT_SECURITY_POLICY } from '../src/shared/content-security-policy.js';

/** What index.html writes where the policy goes. */
export const CSP_PLACEHOLDER = '%SWITCHYARD_CSP%';

const META_CSP_TAG = /<meta\s[^>]*http-equiv=["']?Content-Security-Policy["']?[^>]*>/gi;

/** `html` with the placeholder replaced by the policy; throws unless there is exactly one CSP tag holding it. */
export function injectContentSecurityPolicy(html: string): string {
  const tags = html.match(META_CSP_TAG) ?? [];
  if (tags.length !== 1 || !tags[0]!.includes(`content="${CSP_PLACEHOLDER}"`) || html.split(CSP_PLACEHOLDER).length !== 2) {
    throw new Error(
      `index.html must hold one <meta http-equiv="Content-Security-Policy" content="${CSP_PLACEHOLDER}"> and no other CSP tag ` +
        '(the policy comes from src/shared/content-security-policy.ts)',
    );
  }
  return html.replace(CSP_PLACEHOLDER, escapeAttribute(META_CONTENT_SECURITY_POLICY));
}

/** The vite plugin: runs before Vite's own HTML transforms, in `build` and `dev` alike. */
export function contentSecurityPolicyPlugin(): Plugin {
  return {
    name: 'switchyard-content-security-policy',
    transformIndexHtml: { order: 'pre', handler: injectContentSecurityPolicy },
  };
}

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
}
