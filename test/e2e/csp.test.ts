/**
 * The built renderer under its one content security policy, in Chromium against the
 * headless host: the page's <meta> tag and the host's header come from
 * src/shared/content-security-policy.ts, and every view loads and draws without the
 * browser refusing anything or complaining about the policy.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectBridge } from '../../src/shared/bridge-client.js';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../src/shared/content-security-policy.js';
import { SCREENSHOTS, usePagePerTest } from './helpers/page-per-test.js';

const fixture = usePagePerTest({ width: 1280, height: 800 });

describe('the content security policy in the browser', () => {
  it('is the shared one in the header and the <meta> tag, and no view trips it', async () => {
    const { host, page } = fixture;
    const complaints: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy|CSP/i.test(message.text())) complaints.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => complaints.push(`pageerror: ${error.message}`));
    await page.exposeFunction('reportViolation', (text: string) => complaints.push(`violation: ${text}`));
    // Page code as text: this test project is type-checked without the DOM library.
    await page.addInitScript({
      content: "document.addEventListener('securitypolicyviolation', (e) => reportViolation(e.violatedDirective + ' ' + e.blockedURI));",
    });

    // Something in every view: agents with load bars, a routed message for the graph and traces.
    const socket = new WebSocket(`${host.origin.replace(/^http/, 'ws')}/bridge?token=${host.token}`, { origin: host.origin });
    const client = await connectBridge(socket as unknown as Parameters<typeof connectBridge>[0]);
    try {
      await client.api.agents.start({ type: 'echo', name: 'echo-csp' });
      await client.api.messages.send({ to: 'echo-csp', body: 'hello' });
    } finally {
      client.close();
    }

    const response = await page.goto(host.url);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).toBe(META_CONTENT_SECURITY_POLICY);

    await page.getByTestId('agent-row').first().waitFor();
    await page.getByTestId('nav-routes').click();
    await page.locator('.react-flow__node').first().waitFor();
    await page.getByTestId('nav-traces').click();
    await page.getByTestId('trace-table').getByText('echo-csp').first().waitFor();
    await page.getByTestId('nav-settings').click();
    await page.getByLabel('Coordination URL').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/csp-settings.png` });
    expect(complaints).toEqual([]);
  });
});
