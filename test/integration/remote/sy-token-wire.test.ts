/**
 * What the `Sy-Token` header carries on the wire, read by a real subscriber on a real
 * nats-server: the derived value, never the API token nor the NATS password inside it
 * (`nats-server --trace` logs headers in clear). The coordinator still knows the caller.
 */
import type { Msg, NatsConnection } from 'nats.ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headers as H, subjects } from '../../../src/shared/nats-subjects.js';
import { deriveSyToken } from '../../../src/core/sy-token.js';
import type { RemoteEnv } from './remote-harness.js';
import { REPO, TOKENS, addLocalAgent, phaseOf, remoteEnv } from './remote-harness.js';
import { eventually } from '../../helpers/eventually.js';

let env: RemoteEnv;
beforeEach(async () => {
  env = await remoteEnv();
});
afterEach(async () => {
  await env.dispose();
});

/** Every header of every message on `subject`, as `name: value` lines. */
function tap(nc: NatsConnection, subject: string): { messages: Msg[]; headerText: () => string } {
  const messages: Msg[] = [];
  nc.subscribe(subject, { callback: (_error, msg) => messages.push(msg) });
  return {
    messages,
    headerText: () =>
      messages
        .flatMap((msg) => (msg.headers ? [...msg.headers].map(([name, values]) => `${name}: ${values.join(',')}`) : []))
        .join('\n'),
  };
}

describe('Sy-Token on the wire', () => {
  it('carries the derived value on register, heartbeat and spawn; never the token or the password', async () => {
    await env.startCoordinator();
    // The coordinator's NATS user sees copies of every request the desktop sends.
    const spy = await env.connect(TOKENS.coordinator);
    const register = tap(spy, subjects.register(REPO));
    const heartbeat = tap(spy, subjects.heartbeat(REPO, '>'));
    const spawn = tap(spy, subjects.spawn(REPO));
    await spy.flush();

    const core = await env.startCore(TOKENS.alice);
    await eventually(() => phaseOf(core) === 'connected', 15_000, 'link up');
    addLocalAgent(core, 'alice.workspace');
    await core.call('agents.spawn', { task: 'compile', spawnedBy: 'alice.workspace' });
    await eventually(() => register.messages.length > 0 && heartbeat.messages.length > 0 && spawn.messages.length > 0, 15_000, 'requests seen');

    const password = TOKENS.alice.split(':')[1]!;
    const expected = deriveSyToken(TOKENS.alice);
    for (const tapped of [register, heartbeat, spawn]) {
      const text = tapped.headerText();
      expect(text).not.toContain(password);
      expect(text).not.toContain(TOKENS.alice);
      for (const msg of tapped.messages) expect(msg.headers?.get(H.token)).toBe(expected);
    }

    // The coordinator resolved the derived value to alice: the record is hers.
    const kv = await spy.jetstream().views.kv('sy-registry', { bindOnly: true });
    const entry = await eventually(() => kv.get(`${REPO}.alice.workspace`), 10_000, 'registry entry');
    expect((entry.json() as { owner: string }).owner).toBe('alice');
  });
});
