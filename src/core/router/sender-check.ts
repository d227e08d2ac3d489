/**
 * Whether the publisher of an inbox message may speak for its `from`.
 *
 * The subject carries the publisher: `sy.<repo>.inbox.<sender>.<to>`, and a member's NATS
 * permissions let it publish only under its own user as `<sender>` (docs/nats.md), so
 * the server vouches for that token. A sender owns `from` when `from` is in its name
 * space (`<sender>.<name>`) or the team registry records it as the owner (team agents:
 * the team owner; workers: whoever spawned them). Anything else is a forgery.
 */
import type { RoutedMessage } from '../../shared/domain.js';
import { ANONYMOUS_SENDER, parseInboxSubject } from '../../shared/nats-subjects.js';

export interface SenderPolicy {
  /**
   * Whether the anonymous sender token is accepted: only on a server-token deployment
   * (no NATS users), where nothing can be authenticated anyway. With NATS users no
   * member may publish under it, so seeing it means a misconfigured publisher.
   */
  anonymousAllowed: boolean;
  /** The owner the team registry records for an agent, if it knows the agent. */
  ownerOf(repo: string, name: string): string | undefined;
}

/** Why the message must be refused, or undefined when its sender owns `from`. */
export function senderRefusal(subject: string, message: Pick<RoutedMessage, 'repo' | 'from' | 'to'>, policy: SenderPolicy): string | undefined {
  const parsed = parseInboxSubject(subject);
  if (!parsed) return `"${subject}" is not an inbox subject`;
  if (parsed.repo !== message.repo || parsed.agent !== message.to) {
    return `the subject addresses ${parsed.repo}/${parsed.agent} but the message ${message.repo}/${message.to}`;
  }
  const { sender } = parsed;
  if (sender === ANONYMOUS_SENDER) {
    return policy.anonymousAllowed
      ? undefined
      : `unauthenticated sender: "${message.from}" was published without a NATS user, and this deployment has NATS users`;
  }
  if (message.from.startsWith(`${sender}.`)) return undefined;
  const owner = policy.ownerOf(message.repo, message.from);
  if (owner === sender) return undefined;
  return `forged sender: "${message.from}" is ${owner === undefined ? 'unknown' : `owned by "${owner}"`}, but NATS user "${sender}" published it`;
}
