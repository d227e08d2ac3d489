import { describe, expect, it } from 'vitest';
import type { RouteDecision, RouteDecisionInput } from '../../../src/shared/route-decision.js';
import { DEFAULT_HOLD_TTL_MS, decideRoute } from '../../../src/shared/route-decision.js';

const NOW = 1_000_000;
const base: RouteDecisionInput = {
  hybridEnabled: true,
  hostLocation: 'local',
  destination: { location: 'local', status: 'active' },
  linkUp: true,
  queuedForDestination: false,
  now: NOW,
  message: { timestamp: NOW - 10 },
};

const cases: Array<[string, Partial<RouteDecisionInput>, RouteDecision]> = [
  ['local destination → direct', {}, { action: 'deliver', routedVia: 'local' }],
  ['hybrid off, local destination → direct', { hybridEnabled: false }, { action: 'deliver', routedVia: 'local' }],
  [
    'hybrid off, remote destination → rejected',
    { hybridEnabled: false, destination: { location: 'remote', status: 'active' } },
    { action: 'reject', reason: 'hybrid-off' },
  ],
  [
    'hybrid off, link state is irrelevant',
    { hybridEnabled: false, linkUp: false },
    { action: 'deliver', routedVia: 'local' },
  ],
  ['unknown destination → rejected', { destination: undefined }, { action: 'reject', reason: 'no-such-agent' }],
  [
    'unknown destination is rejected even when expired',
    { destination: undefined, message: { timestamp: 0, ttlMs: 1 } },
    { action: 'reject', reason: 'no-such-agent' },
  ],
  [
    'remote destination, link up → nats',
    { destination: { location: 'remote', status: 'busy' } },
    { action: 'publish', routedVia: 'nats' },
  ],
  [
    'remote destination, link down → outbox without deadline',
    { destination: { location: 'remote', status: 'idle' }, linkUp: false },
    { action: 'queue', routedVia: 'outbox', reason: 'link-down', expiresAt: null },
  ],
  [
    'remote destination, link down, own TTL → outbox until the TTL',
    { destination: { location: 'remote', status: 'idle' }, linkUp: false, message: { timestamp: NOW, ttlMs: 500 } },
    { action: 'queue', routedVia: 'outbox', reason: 'link-down', expiresAt: NOW + 500 },
  ],
  [
    'local destination with a queue → behind it',
    { queuedForDestination: true },
    { action: 'queue', routedVia: 'outbox', reason: 'behind-queue', expiresAt: null },
  ],
  [
    'remote destination with a queue, link up → still behind it',
    { destination: { location: 'remote', status: 'active' }, queuedForDestination: true },
    { action: 'queue', routedVia: 'outbox', reason: 'behind-queue', expiresAt: null },
  ],
  [
    'unreachable destination → held with the default TTL',
    { destination: { location: 'local', status: 'unreachable' } },
    { action: 'queue', routedVia: 'outbox', reason: 'unreachable', expiresAt: NOW - 10 + DEFAULT_HOLD_TTL_MS },
  ],
  [
    'terminated remote destination → held with its own TTL',
    { destination: { location: 'remote', status: 'terminated' }, message: { timestamp: NOW, ttlMs: 50 } },
    { action: 'queue', routedVia: 'outbox', reason: 'unreachable', expiresAt: NOW + 50 },
  ],
  [
    'unreachable past the default TTL → expired',
    { destination: { location: 'local', status: 'unreachable' }, defaultHoldTtlMs: 5 },
    { action: 'expire' },
  ],
  ['own TTL over → expired', { message: { timestamp: NOW - 100, ttlMs: 100 } }, { action: 'expire' }],
  ['own TTL not over → delivered', { message: { timestamp: NOW - 99, ttlMs: 100 } }, { action: 'deliver', routedVia: 'local' }],
  [
    'fallback-started agent → delivered via fallback',
    { destination: { location: 'local', status: 'active', fallback: true } },
    { action: 'deliver', routedVia: 'fallback' },
  ],
  [
    'router on the remote side: remote agents are its direct ones',
    { hostLocation: 'remote', destination: { location: 'remote', status: 'active' } },
    { action: 'deliver', routedVia: 'local' },
  ],
  [
    'router on the remote side: a desktop agent goes over nats',
    { hostLocation: 'remote', destination: { location: 'local', status: 'active' } },
    { action: 'publish', routedVia: 'nats' },
  ],
];

describe('decideRoute', () => {
  it.each(cases)('%s', (_name, change, expected) => {
    expect(decideRoute({ ...base, ...change })).toEqual(expected);
  });
});
