/**
 * The routing rules as one pure function: given what the router knows about a message,
 * its destination and the link, say what happens to the message.
 *
 * Kept free of I/O so every rule is a row in a table-driven test, and so the UI or the
 * CLI could explain a route without asking the core (docs/routing.md lists the rules).
 */
import type { AgentStatus, Location, RoutedVia } from './domain.js';

/** How long a message to an unreachable agent waits when it carries no TTL of its own. */
export const DEFAULT_HOLD_TTL_MS = 60 * 60 * 1000;

/** What the router knows about the destination, from its registry mirror. */
export interface DestinationView {
  location: Location;
  status: AgentStatus;
  /** Started locally because the remote was unavailable (spawn fallback). */
  fallback?: boolean;
}

export interface RouteDecisionInput {
  /** Hybrid mode: off means everything stays on this machine. */
  hybridEnabled: boolean;
  /** Where the agents this router delivers to directly run (a desktop: `local`). */
  hostLocation: Location;
  /** The destination's record, or undefined when the mirror does not know it. */
  destination: DestinationView | undefined;
  /** Whether the NATS link is up right now. */
  linkUp: boolean;
  /**
   * Messages for the same destination already wait in the outbox. A new one must queue
   * behind them, or it would overtake them.
   */
  queuedForDestination: boolean;
  now: number;
  message: { timestamp: number; ttlMs?: number };
  /** TTL for held messages without one of their own; DEFAULT_HOLD_TTL_MS by default. */
  defaultHoldTtlMs?: number;
}

/** Why a message waits in the outbox. */
export type QueueReason = 'link-down' | 'unreachable' | 'behind-queue';

export type RouteDecision =
  /** Hand it to a local agent now. */
  | { action: 'deliver'; routedVia: Extract<RoutedVia, 'local' | 'fallback'> }
  /** Publish it to the destination's inbox on JetStream and wait for the ack. */
  | { action: 'publish'; routedVia: 'nats' }
  /** Park it in the outbox; `expiresAt` null means it waits until it can go. */
  | { action: 'queue'; routedVia: 'outbox'; reason: QueueReason; expiresAt: number | null }
  /** Its TTL ran out before it could be delivered. */
  | { action: 'expire' }
  /** It cannot be routed at all. */
  | { action: 'reject'; reason: 'no-such-agent' | 'hybrid-off' };

/** When a message's own TTL ends, or null without one. */
export function ttlDeadline(message: { timestamp: number; ttlMs?: number }): number | null {
  return message.ttlMs === undefined ? null : message.timestamp + message.ttlMs;
}

/** A destination that cannot take messages now but may come back. */
export function isUnreachable(status: AgentStatus): boolean {
  return status === 'unreachable' || status === 'terminated';
}

/**
 * Decides a message's route.
 *
 * The order matters: unknown destinations are rejected before anything is stored;
 * expired messages never go out; a destination with a queue keeps its order; only then
 * does the location pick direct delivery or JetStream.
 */
export function decideRoute(input: RouteDecisionInput): RouteDecision {
  const { destination, message, now } = input;
  if (destination === undefined) return { action: 'reject', reason: 'no-such-agent' };
  if (!input.hybridEnabled && destination.location !== input.hostLocation) {
    return { action: 'reject', reason: 'hybrid-off' };
  }
  const own = ttlDeadline(message);
  if (own !== null && now >= own) return { action: 'expire' };

  if (isUnreachable(destination.status)) {
    const expiresAt = own ?? message.timestamp + (input.defaultHoldTtlMs ?? DEFAULT_HOLD_TTL_MS);
    if (now >= expiresAt) return { action: 'expire' };
    return { action: 'queue', routedVia: 'outbox', reason: 'unreachable', expiresAt };
  }
  if (input.queuedForDestination) {
    return { action: 'queue', routedVia: 'outbox', reason: 'behind-queue', expiresAt: own };
  }
  if (destination.location === input.hostLocation) {
    return { action: 'deliver', routedVia: destination.fallback ? 'fallback' : 'local' };
  }
  if (!input.linkUp) return { action: 'queue', routedVia: 'outbox', reason: 'link-down', expiresAt: own };
  return { action: 'publish', routedVia: 'nats' };
}
