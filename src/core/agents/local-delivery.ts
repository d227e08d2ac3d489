/**
 * The minimal local path (issue 4, item 7): a `send` from one local agent to another is
 * stamped as a RoutedMessage and delivered directly. The router replaces this wiring
 * with full routing, traces and remote delivery; until then it is the whole story.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { RoutedMessage } from '../../shared/domain.js';
import type { Clock } from '../clock.js';
import type { LocalAgents, OutboundEvent } from './local-agents.js';

/** Builds the RoutedMessage for a local→local send. */
export function localMessage(event: OutboundEvent & { line: { type: 'send' } }, now: number): RoutedMessage {
  const { from, line } = event;
  return {
    id: line.id ?? randomUUID(),
    from: from.name,
    to: line.to,
    repo: from.repo,
    body: line.body,
    kind: line.kind ?? 'text',
    timestamp: now,
    route: { sourceLocation: 'local', destLocation: 'local', routedVia: 'local', routedAt: now },
    traceId: randomBytes(16).toString('hex'),
  };
}

/**
 * Subscribes to outbound sends and delivers them locally; an unknown destination gets
 * an `error` line back to the sender. Returns the unsubscribe function.
 */
export function wireLocalDelivery(agents: LocalAgents, clock: Clock): () => void {
  return agents.onOutbound((event) => {
    const { from, line } = event;
    if (line.type === 'spawn') {
      agents.replyError(from.name, {
        code: 'not-supported',
        message: 'spawning workers needs the router, which is not running yet',
        ...(line.id ? { ref: line.id } : {}),
      });
      return;
    }
    const message = localMessage({ from, line }, clock.now());
    if (!agents.deliver(message)) {
      agents.replyError(from.name, {
        code: 'unknown-destination',
        message: `no local agent "${line.to}" is running in repo "${from.repo}"`,
        ref: message.id,
      });
    }
  });
}
