/**
 * Gateway sessions belong to the connection that said hello: every client holds the
 * same gateway token, so a second client must not take over an agent's session by
 * naming its instanceId or its name while that agent is connected. Two real WebSocket
 * clients against a real core.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { newMessageId } from '../../../src/core/router/message-input.js';
import { newTraceId } from '../../../src/core/router/trace-context.js';
import type { TestCore } from './helpers.js';
import { GatewayClient, gatewayToken, startCore } from './helpers.js';
import { eventually } from '../../helpers/eventually.js';

const HELLO = { type: 'hello', protocol: 1, name: 'ide', agentType: 'workspace', instanceId: 'ide-instance-1' };
const closeCode = (client: GatewayClient) => new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)));

describe('gateway sessions', () => {
  let t: TestCore;
  const clients: GatewayClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    await t?.close();
  });
  const connect = async () => {
    const client = await GatewayClient.connect(t.core.localAgents.gateway!.url, { token: gatewayToken(t.dataDir) });
    clients.push(client);
    return client;
  };

  it('refuses a second connection claiming a connected instanceId or name, and lets the instance reconnect once the first is closed', async () => {
    t = await startCore();
    const first = await connect();
    first.send(HELLO);
    await first.next('welcome');

    // Same instanceId from another connection: refused, typed, and closed.
    const thief = await connect();
    const thiefClosed = closeCode(thief);
    thief.send(HELLO);
    const refused = await thief.next('error');
    expect(refused).toMatchObject({ code: 'instance-in-use' });
    expect(await thiefClosed).toBe(4400);
    // Same name under another instanceId: refused too.
    const squatter = await connect();
    squatter.send({ ...HELLO, instanceId: 'other-instance' });
    expect(await squatter.next('error')).toMatchObject({ code: 'name-conflict' });

    // The first connection still holds the session: lines for `ide` reach it, its status counts.
    expect(first.ws.readyState).toBe(WebSocket.OPEN);
    const now = Date.now();
    const delivered = t.core.localAgents.deliver({
      id: newMessageId(now), from: 'tester', to: 'ide', repo: 'default', body: 'for the real ide', kind: 'text', timestamp: now,
      route: { sourceLocation: 'local', destLocation: 'local', routedVia: 'local', routedAt: now }, traceId: newTraceId(),
    });
    expect(delivered).toBe(true);
    await first.next('message', (l) => l.message.body === 'for the real ide');
    expect(thief.received.some((l) => l.type === 'message')).toBe(false);
    first.send({ type: 'status', status: 'busy' });
    await eventually(() => t.core.registry.get({ repo: 'default', name: 'ide' })?.status === 'busy');

    // One connection, one instance: the first cannot say hello as another instance too.
    first.send({ ...HELLO, name: 'ide-2', instanceId: 'ide-instance-2' });
    expect(await first.next('error', (l) => l.code === 'instance-in-use')).toMatchObject({ message: expect.stringContaining('already said hello') });
    expect(t.core.registry.get({ repo: 'default', name: 'ide-2' })).toBeUndefined();

    // Reconnect: once the first connection has closed, the instanceId is free to claim.
    await first.close();
    await eventually(() => (t.core.registry.get({ repo: 'default', name: 'ide' })?.metadata.gateway as { connected?: boolean } | undefined)?.connected === false);
    const again = await connect();
    again.send(HELLO);
    await again.next('welcome');
    expect(t.core.registry.get({ repo: 'default', name: 'ide' })).toMatchObject({ instanceId: 'ide-instance-1', metadata: { gateway: { connected: true } } });
  });

  it('lets an instance be claimed again when its connection went silent past the health timeout', async () => {
    t = await startCore({ gateway: { heartbeatIntervalMs: 50, failureThreshold: 2, sweepIntervalMs: 20 } });
    const silent = await connect();
    const silentClosed = closeCode(silent);
    silent.send(HELLO);
    await silent.next('welcome');
    // It never heartbeats: a connection that died without a close looks the same.
    await eventually(() => t.core.registry.get({ repo: 'default', name: 'ide' })?.status === 'unreachable', 2_000);
    const fresh = await connect();
    fresh.send(HELLO);
    await fresh.next('welcome');
    expect(await silentClosed).toBe(4008);
    fresh.send({ type: 'heartbeat' });
    await eventually(() => t.core.registry.get({ repo: 'default', name: 'ide' })?.status === 'idle');
    expect(t.core.registry.get({ repo: 'default', name: 'ide' })?.metadata.gateway).toMatchObject({ connected: true });
  });
});
