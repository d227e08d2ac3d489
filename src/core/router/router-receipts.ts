/**
 * A router's receipts (src/core/receipts): it reports on what it receives, under its NATS
 * user, and writes the receipts for what it sent on its own traces. Split from router.ts.
 */
import type { Location } from '../../shared/domain.js';
import type { Clock } from '../clock.js';
import { Receipts } from '../receipts/index.js';
import type { RouterOptions } from './router.js';
import type { WireIdentity } from './wire-identity.js';

export function routerReceipts(options: RouterOptions, hostLocation: Location, clock: Clock, wire: Pick<WireIdentity, 'user'>): Receipts | undefined {
  if (options.receipts === false) return undefined;
  return new Receipts({
    host: hostLocation === 'remote' ? 'coordinator' : 'desktop',
    clock,
    connection: () => (options.config().enabled ? options.transport?.connection() : undefined),
    traces: options.traces,
    ownerOf: (repo, name) => options.registry.get({ repo, name })?.owner,
    anonymousAllowed: () => wire.user() === undefined,
    onError: options.onError,
    ...options.receipts,
  });
}
