import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { TestCore } from './helpers.js';
import { GatewayClient, gatewayToken, startCore } from './helpers.js';
import { eventually } from '../../helpers/eventually.js';

describe('local gateway', () => {
  let t: TestCore;
  afterEach(async () => t?.close());

  it('keeps its token in a 0600 file and refuses a bad token or a browser Origin', async () => {
    t = await startCore();
    const url = t.core.localAgents.gateway!.url;
    const token = gatewayToken(t.dataDir);
    if (process.platform !== 'win32') expect(statSync(join(t.dataDir, 'gateway-token')).mode & 0o777).toBe(0o600);
    await expect(GatewayClient.connect(url, { token: 'wrong-token-wrong-token' })).rejects.toThrow('HTTP 401');
    await expect(GatewayClient.connect(url)).rejects.toThrow('HTTP 401');
    await expect(
      GatewayClient.connect(url, { token, headers: { Origin: 'https://evil.example' } }),
    ).rejects.toThrow('HTTP 403');
    const bearer = await GatewayClient.connect(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(bearer.ws.readyState).toBe(WebSocket.OPEN);
    await bearer.close();
  });

  it('accepts an allowlisted browser Origin', async () => {
    t = await startCore({ gateway: { allowedOrigins: ['http://localhost:5173'] } });
    const client = await GatewayClient.connect(t.core.localAgents.gateway!.url, {
      token: gatewayToken(t.dataDir),
      headers: { Origin: 'http://localhost:5173' },
    });
    await client.close();
  });

  it('requires hello with an instanceId, and answers bad frames with error lines', async () => {
    t = await startCore();
    const client = await GatewayClient.connect(t.core.localAgents.gateway!.url, { token: gatewayToken(t.dataDir) });
    client.send({ type: 'heartbeat' });
    await client.next('error', (l) => l.code === 'hello-required');
    client.ws.send('not json');
    await client.next('error', (l) => l.code === 'bad-json');
    client.send({ type: 'hello', protocol: 1, name: 'ide' });
    await client.next('error', (l) => l.code === 'hello-required' && l.message.includes('instanceId'));
    await eventually(() => client.ws.readyState === WebSocket.CLOSED);
  });

  it('keeps one registration when an external agent reconnects with the same instanceId', async () => {
    t = await startCore({ gateway: { heartbeatIntervalMs: 50, failureThreshold: 2, sweepIntervalMs: 20 } });
    const url = t.core.localAgents.gateway!.url;
    const token = gatewayToken(t.dataDir);
    const hello = { type: 'hello', protocol: 1, name: 'ide', agentType: 'workspace', instanceId: 'ide-instance-1', capabilities: ['edit'] };
    const first = await GatewayClient.connect(url, { token });
    first.send(hello);
    await first.next('welcome');
    const registered = t.core.registry.get({ repo: 'default', name: 'ide' })!;
    expect(registered).toMatchObject({ location: 'local', ownership: 'user', instanceId: 'ide-instance-1', capabilities: ['edit'] });
    await first.close();
    // Dropped: unreachable after the health timeout.
    await eventually(() => t.core.registry.get({ repo: 'default', name: 'ide' })?.status === 'unreachable', 2_000);
    const second = await GatewayClient.connect(url, { token });
    second.send(hello);
    await second.next('welcome');
    second.send({ type: 'heartbeat', load: { current: 1, max: 4 } });
    await eventually(() => t.core.registry.get({ repo: 'default', name: 'ide' })?.load.current === 1);
    const all = t.core.registry.discover({ repo: 'default' }).filter((a) => a.instanceId === 'ide-instance-1' || a.name === 'ide');
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ registeredAt: registered.registeredAt, status: 'idle' });
    // A different instance cannot take the live name.
    const intruder = await GatewayClient.connect(url, { token });
    intruder.send({ ...hello, instanceId: 'someone-else' });
    await intruder.next('error', (l) => l.code === 'name-conflict');
    await second.close();
  });

  it('does not let an external agent take a supervised agent’s name', async () => {
    t = await startCore();
    await t.core.localAgents.start('echo');
    const client = await GatewayClient.connect(t.core.localAgents.gateway!.url, { token: gatewayToken(t.dataDir) });
    client.send({ type: 'hello', protocol: 1, name: 'echo', instanceId: 'fake-echo' });
    await client.next('error', (l) => l.code === 'name-conflict');
  });
});
