/**
 * How far a route's newest message got, for the edge's look: the graph shows delivery,
 * not publish. A message sent over NATS counts as delivered only once the receiving
 * side's receipt says so (docs/routing.md, Receipts); until then it is `sent`.
 */
import type { HopEvent } from '../../../shared/domain.js';
import type { RouteEdge } from '../model/route-graph.js';

export type EdgeDelivery = 'answered' | 'delivered' | 'rejected' | 'sent';

/** Every hop event's look; a new event must be placed here (the compiler checks the table is complete). */
const DELIVERY: Record<HopEvent, EdgeDelivery> = {
  answered: 'answered',
  delivered: 'delivered',
  rejected: 'rejected',
  failed: 'rejected',
  expired: 'rejected',
  accepted: 'sent',
  queued: 'sent',
  published: 'sent',
  received: 'sent',
  fallback: 'sent',
  failback: 'sent',
  dispatched: 'sent',
  failover: 'sent',
  spawned: 'sent',
};

export function deliveryOf(route: Pick<RouteEdge, 'recent'>): EdgeDelivery {
  const status = route.recent[0]?.status;
  return status === undefined ? 'sent' : DELIVERY[status];
}
