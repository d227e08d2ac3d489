import { afterEach, describe, expect, it } from 'vitest';
import type { TestCore } from './helpers.js';
import { GatewayClient, gatewayToken, startCore } from './helpers.js';
import { eventually } from '../../helpers/eventually.js';

describe('echo agent over the local path', () => {
  let t: TestCore;
  afterEach(async () => t?.close());

  it('answers a message from a gateway agent with its body', async () => {
    t = await startCore();
    const info = await t.core.localAgents.start('echo');
    expect(info).toMatchObject({ name: 'echo', type: 'echo', location: 'local', ownership: 'task', repo: 'default' });
    const client = await GatewayClient.connect(t.core.localAgents.gateway!.url, { token: gatewayToken(t.dataDir) });
    client.send({ type: 'hello', protocol: 1, name: 'tester', instanceId: 'tester-1' });
    await client.next('welcome');
    client.send({ type: 'send', to: 'echo', body: { hello: 'world' }, id: 'msg-00000001' });
    const reply = await client.next('message');
    expect(reply.message).toMatchObject({
      from: 'echo',
      to: 'tester',
      body: { echo: { hello: 'world' }, inReplyTo: 'msg-00000001' },
      route: { sourceLocation: 'local', destLocation: 'local', routedVia: 'local' },
    });
    await client.close();
  });

  it('answers an unknown destination with an error line', async () => {
    t = await startCore();
    const client = await GatewayClient.connect(t.core.localAgents.gateway!.url, { token: gatewayToken(t.dataDir) });
    client.send({ type: 'hello', protocol: 1, name: 'tester', instanceId: 'tester-2' });
    client.send({ type: 'send', to: 'nobody', body: 1, id: 'msg-00000002' });
    const error = await client.next('error');
    expect(error).toMatchObject({ code: 'unknown-destination', ref: 'msg-00000002' });
    await client.close();
  });

  it('is running in the registry with its supervision state, and the workspace demo reports progress', async () => {
    t = await startCore();
    await t.core.localAgents.start('workspace');
    const ws = await eventually(() => {
      const info = t.core.registry.get({ repo: 'default', name: 'workspace' });
      return (info?.metadata.supervision as { state?: string } | undefined)?.state === 'running' && info;
    });
    expect(ws.ownership).toBe('user');
    const client = await GatewayClient.connect(t.core.localAgents.gateway!.url, { token: gatewayToken(t.dataDir) });
    client.send({ type: 'hello', protocol: 1, name: 'boss', instanceId: 'boss-1' });
    await client.next('welcome');
    client.send({ type: 'send', to: 'workspace', body: 'write tests', kind: 'task.assigned' });
    await client.next('message', (l) => l.message.kind === 'task.completed');
    const kinds = client.received.flatMap((l) => (l.type === 'message' ? [l.message.kind] : []));
    expect(kinds).toEqual(['task.started', 'task.progress', 'task.progress', 'task.progress', 'task.completed']);
    await client.close();
  });
});
