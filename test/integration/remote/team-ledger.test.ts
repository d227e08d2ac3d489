/**
 * The coordinator's team agents get each message id once, like a desktop's agents: a
 * copy that the stream keeps (another Nats-Msg-Id, or past the duplicate window) is
 * dropped by the receiver ledger, not handed to the agent again.
 */
import { headers as natsHeaders } from 'nats.ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newMessageId } from '../../../src/core/router/message-input.js';
import { publishToInbox } from '../../../src/core/router/nats-publisher.js';
import { newTraceId, traceparentFor } from '../../../src/core/router/trace-context.js';
import type { RoutedMessage } from '../../../src/shared/domain.js';
import { headers, subjects } from '../../../src/shared/nats-subjects.js';
import type { RemoteEnv } from './remote-harness.js';
import { REPO, TEAM_DIR, TOKENS, memberInbox, remoteEnv, sendToInbox } from './remote-harness.js';
import { eventually } from '../../helpers/eventually.js';

let env: RemoteEnv;
beforeEach(async () => {
  env = await remoteEnv();
});
afterEach(async () => {
  await env.dispose();
});

describe('team agents and duplicate message ids', () => {
  it('delivers a message id published twice (distinct Nats-Msg-Id) to the agent once', async () => {
    await env.startCoordinator({ team: { manifestDir: TEAM_DIR, agents: ['review'] } }, { team: true });
    const nc = await env.connect(TOKENS.alice);
    await eventually(() => env.coordinators[0]!.store.get(REPO, 'review')?.info.status === 'active', 15_000, 'review running');
    const inbox = await memberInbox(nc, 'alice');

    const now = Date.now();
    const message: RoutedMessage = {
      id: newMessageId(now),
      from: 'alice.tester',
      to: 'review',
      repo: REPO,
      body: { change: 'adds a parser with tests' },
      kind: 'text',
      timestamp: now,
      route: { sourceLocation: 'local', destLocation: 'remote', routedVia: 'nats', routedAt: now },
      traceId: newTraceId(),
    };
    await publishToInbox(nc, message, traceparentFor(message.traceId), 5_000, 'alice');
    // The same message again under another Nats-Msg-Id: the stream keeps both copies.
    const h = natsHeaders();
    h.set(headers.traceparent, traceparentFor(message.traceId));
    const again = await nc.jetstream().publish(subjects.inbox(REPO, 'alice', 'review'), new TextEncoder().encode(JSON.stringify(message)), {
      msgID: `${message.id}-again`,
      headers: h,
    });
    expect(again.duplicate).toBe(false);
    // A different message after it: once its answer is here, the copy before it was handled too.
    await sendToInbox(nc, 'alice.tester', 'review', { change: 'renames a variable' });
    await eventually(() => inbox.find((m) => m.kind === 'decision.made' && (m.body as { verdict: string }).verdict === 'changes-requested'), 15_000, 'second answer');

    const decisions = inbox.filter((m) => m.kind === 'decision.made').map((m) => (m.body as { verdict: string }).verdict);
    expect(decisions).toEqual(['approve', 'changes-requested']);
  }, 60_000);
});
