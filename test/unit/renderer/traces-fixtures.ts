/** Trace summaries for the renderer's unit tests. */
import type { TraceSummary } from '../../../src/shared/routing-contract.js';

let next = 0;

export function trace(overrides: Partial<TraceSummary> & { createdAt: number }): TraceSummary {
  next++;
  return {
    messageId: `msg-${String(next).padStart(6, '0')}`,
    traceId: '0123456789abcdef0123456789abcdef',
    repo: 'demo',
    from: 'a',
    to: 'b',
    kind: 'text',
    status: 'delivered',
    route: { sourceLocation: 'local', destLocation: 'local', routedVia: 'local', routedAt: overrides.createdAt },
    updatedAt: overrides.createdAt + 5,
    ...overrides,
  };
}
