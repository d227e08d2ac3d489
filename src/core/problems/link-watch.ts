/**
 * The link's problems from its state: an auth failure at once, "down" only once it has
 * lasted longer than the threshold (a blip while the link reconnects is not worth a
 * word), both resolved when the link is back or hybrid mode is turned off.
 */
import type { ConnectionState } from '../../shared/connection.js';
import type { Clock } from '../clock.js';
import { scheduleOn } from '../clock.js';
import type { ProblemCenter } from './problem-center.js';
import { LINK_AUTH_ID, LINK_DOWN_ID, LINK_PERMISSION_ID, LINK_REGISTRY_ID, authFailed, linkDown } from './reports.js';

const DOWN = new Set<ConnectionState['phase']>(['connecting', 'reconnecting', 'disconnected']);

export class LinkWatch {
  /** When the link left `connected` (or started trying); null while up or off. */
  private downSince: number | null = null;
  private cancelTimer: (() => void) | undefined;
  private latest: ConnectionState | undefined;

  constructor(
    private readonly center: ProblemCenter,
    private readonly clock: Clock,
    private readonly downAfterMs: number,
  ) {}

  /** Each `connection.changed`. */
  update(state: ConnectionState): void {
    this.latest = state;
    if (state.phase === 'connected' || state.phase === 'disabled') {
      this.stopTimer();
      this.downSince = null;
      this.center.resolve(LINK_DOWN_ID);
      this.center.resolve(LINK_AUTH_ID);
      // A permissions violation is per operation; a fresh connection or no link at all ends it.
      if (state.phase === 'disabled') {
        this.center.resolve(LINK_PERMISSION_ID);
        this.center.resolve(LINK_REGISTRY_ID);
      }
      return;
    }
    if (state.phase === 'auth-failed') {
      // Its own, sharper problem; "down" would only repeat it.
      this.stopTimer();
      this.downSince = null;
      this.center.resolve(LINK_DOWN_ID);
      this.center.raise(authFailed(state.server, state.lastError ?? 'the server refused the credential'));
      return;
    }
    if (!DOWN.has(state.phase) || this.downSince !== null) return;
    this.downSince = this.clock.now();
    this.center.resolve(LINK_PERMISSION_ID);
    this.cancelTimer = scheduleOn(this.clock, this.downAfterMs, () => {
      this.cancelTimer = undefined;
      if (this.downSince === null || !this.latest) return;
      this.center.raise(linkDown(this.latest.server, this.clock.now() - this.downSince, this.latest.lastError));
    });
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  close(): void {
    this.stopTimer();
  }
}
