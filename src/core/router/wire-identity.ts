/**
 * Who this router is on NATS, from the link's credential: the sender token of what it
 * publishes, the prefix of its agents' names on the wire, which senders it believes, and
 * which inbox consumers it reads (docs/nats.md, Credentials and permissions).
 *
 * Asked afresh each time: a config change can swap the credential under a running router.
 */
import type { Location, RoutedMessage } from '../../shared/domain.js';
import { ANONYMOUS_SENDER, agentInboxConsumer, userInboxConsumer } from '../../shared/nats-subjects.js';
import { localNameOf, wireName } from '../../shared/wire-names.js';
import type { HostedInbox } from './inbound-consumers.js';
import type { SenderPolicy } from './sender-check.js';
import type { AgentDirectory, RemoteTransport } from './types.js';

export class WireIdentity {
  constructor(
    private readonly transport: RemoteTransport | undefined,
    private readonly registry: AgentDirectory,
    private readonly repo: () => string,
    private readonly hostLocation: Location,
  ) {}

  /** The NATS user the link signs in as, if any. */
  user(): string | undefined {
    return this.transport?.natsUser?.();
  }

  /** A message as it goes on NATS: `from` under our user's prefix, published under our user. */
  outgoing(message: RoutedMessage): { message: RoutedMessage; sender: string } {
    const user = this.user();
    return { message: user === undefined ? message : { ...message, from: wireName(user, message.from) }, sender: user ?? ANONYMOUS_SENDER };
  }

  /** Who may speak for whom: the registry's owners; the anonymous sender only without NATS users. */
  senders(): SenderPolicy {
    return { anonymousAllowed: this.user() === undefined, ownerOf: (repo, name) => this.registry.get({ repo, name })?.owner };
  }

  /** The local name of an agent addressed on NATS (wire-names.ts). */
  localName(name: string): string {
    return localNameOf(this.user(), name, (candidate) => {
      const location = this.registry.get({ repo: this.repo(), name: candidate })?.location;
      return location === undefined ? undefined : location === this.hostLocation ? 'here' : 'elsewhere';
    });
  }

  /**
   * The consumers to read: with a NATS user, the one consumer of all our user's agents in
   * the repo (a message for an agent not started yet waits in the outbox); without one,
   * one per hosted agent.
   */
  inboxes(hosted: Array<{ repo: string; name: string }>): HostedInbox[] {
    const repo = this.repo();
    const user = this.user();
    if (user !== undefined) return [{ ...userInboxConsumer(repo, user), label: `inboxes of ${repo}/${user}.*` }];
    return hosted.map(({ repo, name }) => ({ ...agentInboxConsumer(repo, name), label: `inbox of ${repo}/${name}` }));
  }
}
