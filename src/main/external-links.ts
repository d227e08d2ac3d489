/**
 * Which links may leave the app for the OS browser (`shell.openExternal`). A compromised
 * or confused renderer must not be able to open `file:`, `smb:`, custom app schemes or
 * arbitrary sites, so only https links to a short allow-list of hosts go out; every other
 * request is refused and logged. Pure (no electron import), so the rule is unit-tested.
 */
import { parseUrl } from './security-policy.js';

/**
 * The hosts whose https pages may open in the OS browser: where the project and its
 * documentation live. Add a host here (and to docs/security.md) to allow a new link.
 */
export const EXTERNAL_LINK_HOSTS: ReadonlySet<string> = new Set(['github.com']);

export type ExternalLinkDecision = { allowed: true; url: string } | { allowed: false; reason: string };

/** Allowed: `https:`, a host of `hosts` exactly, the default port, no user or password. */
export function externalLinkDecision(
  url: string,
  hosts: ReadonlySet<string> = EXTERNAL_LINK_HOSTS,
): ExternalLinkDecision {
  const parsed = parseUrl(url);
  if (!parsed) return { allowed: false, reason: 'not a valid URL' };
  if (parsed.protocol !== 'https:') return { allowed: false, reason: `the ${parsed.protocol} scheme is not allowed` };
  if (parsed.username || parsed.password) return { allowed: false, reason: 'URLs with credentials are not allowed' };
  if (parsed.port !== '') return { allowed: false, reason: 'only the default https port is allowed' };
  if (!hosts.has(parsed.hostname)) return { allowed: false, reason: `${parsed.hostname} is not on the allow-list` };
  return { allowed: true, url: parsed.href };
}

/**
 * What a refusal logs: the reason and the origin only, never the path or query, which
 * may carry a token.
 */
export function describeRefusedLink(url: string, reason: string): string {
  const parsed = parseUrl(url);
  const where = parsed && parsed.origin !== 'null' ? parsed.origin : parsed ? `${parsed.protocol} URL` : 'a URL';
  return `switchyard: refused to open ${where} outside the app (${reason})`;
}
