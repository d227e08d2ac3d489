/**
 * How far a route's newest message got, for the edge's look: the graph shows delivery,
 * not publish. A message sent over NATS counts as delivered only once the receiving
 * side's receipt says so (docs/routing.md, Receipts); until then it is `sent`.
 */
import type { RouteEdge } from '../model/route-graph.js';

export type EdgeDelivery = 'answered' | 'delivered' | 'rejected' | 'sent';

export function deliveryOf(route: Pick<RouteEdge, 'recent'>): EdgeDelivery {
  switch (route.recent[0]?.status) {
    case 'answered':
      return 'answered';
    case 'delivered':
      return 'delivered';
    case 'rejected':
    case 'failed':
    case 'expired':
      return 'rejected';
    case 'accepted':
    case 'queued':
    case 'published':
    case 'received':
    case 'fallback':
    case 'failback':
    case undefined:
      return 'sent';
  }
}
