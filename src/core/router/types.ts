/**
 * The router's view of its neighbours: small interfaces the local agents, the remote
 * link and the registry satisfy, so the router can be built and tested on its own.
 */
import type { NatsConnection } from 'nats.ws';
import type { AgentInfo, HopEvent, RoutedMessage } from '../../shared/domain.js';
import type { AgentRegistry } from '../registry/index.js';

/** Hands a message to a local agent (stdin or gateway socket); false if it cannot take it now. */
export interface LocalDelivery {
  deliver(message: RoutedMessage): boolean;
}

/** The NATS link: the live connection, if any, and its transitions. */
export interface RemoteTransport {
  connection(): NatsConnection | undefined;
  onUp(listener: () => void): () => void;
  onDown(listener: () => void): () => void;
  /**
   * The NATS user the link signs in as (`user:secret` credentials), or undefined on a
   * server-token deployment. It is the sender token of what we publish, the prefix of
   * our agents on the wire, and names our one inbox consumer.
   */
  natsUser?(): string | undefined;
}

/** The part of the registry mirror the router reads. */
export type AgentDirectory = Pick<AgentRegistry, 'get' | 'discover' | 'onChange'>;

/** Who handed a message to the router. */
export type RouteSource = 'agent' | 'gateway' | 'ui' | 'cli' | 'nats';

export interface RouteOrigin {
  source: RouteSource;
  /**
   * The authenticated sender (a local agent's own name). It wins over any `from` in the
   * payload: an agent cannot send in another's name.
   */
  from?: string;
  /**
   * A hop the router records right after `accepted`: the type fallback's `fallback` /
   * `failback`, or the dispatcher's `dispatched` / `failover` (dispatcher.ts).
   */
  note?: { event: Extract<HopEvent, 'fallback' | 'failback' | 'dispatched' | 'failover'>; detail: string };
}

/** Decides whether an agent record is one this router delivers to directly. */
export type HostedHere = (agent: AgentInfo) => boolean;
