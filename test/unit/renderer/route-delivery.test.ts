import { describe, expect, it } from 'vitest';
import { deliveryOf } from '../../../src/renderer/src/routes/edge-delivery.js';
import { statusTone } from '../../../src/renderer/src/traces/trace-format.js';
import { filterTraces } from '../../../src/renderer/src/model/trace-filter.js';
import type { HopEvent } from '../../../src/shared/domain.js';
import { trace } from './traces-fixtures.js';

describe('delivery on the Routes graph and in Traces', () => {
  it("draws an edge by how far its newest message got, not by its publish", () => {
    const edge = (...statuses: HopEvent[]) => ({ recent: statuses.map((status, i) => trace({ createdAt: i, status })) });
    expect(deliveryOf(edge('published'))).toBe('sent');
    expect(deliveryOf(edge('received'))).toBe('sent');
    expect(deliveryOf(edge('delivered', 'published'))).toBe('delivered');
    expect(deliveryOf(edge('answered'))).toBe('answered');
    expect(deliveryOf(edge('rejected', 'answered'))).toBe('rejected');
    expect(deliveryOf(edge())).toBe('sent');
  });

  it('shows received as on its way and answered as arrived', () => {
    expect(statusTone('received')).toBe('pending');
    expect(statusTone('answered')).toBe('ok');
    const rows = [trace({ createdAt: 1, status: 'received' }), trace({ createdAt: 2, status: 'answered' })];
    expect(filterTraces(rows, { agent: '', kind: '', status: 'in-flight' }).map((r) => r.status)).toEqual(['received']);
  });
});
