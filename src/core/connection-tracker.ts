/**
 * Holds the link state the UI shows and emits `connection.changed` on each change.
 */
import type { ConnectionPhase, ConnectionState } from '../shared/connection.js';
import type { Clock } from './clock.js';
import type { EventHub } from './events.js';

export class ConnectionTracker {
  private state: ConnectionState;

  constructor(
    private readonly hub: EventHub,
    private readonly clock: Clock,
  ) {
    this.state = { phase: 'disabled', server: '', lastError: null, since: clock.now() };
  }

  current(): ConnectionState {
    return this.state;
  }

  /** Moves to a phase; `lastError` is kept across phases until a new one replaces it. */
  update(phase: ConnectionPhase, change: { server?: string; lastError?: string | null } = {}): void {
    const next: ConnectionState = {
      phase,
      server: change.server ?? this.state.server,
      lastError: change.lastError === undefined ? this.state.lastError : change.lastError,
      since: phase === this.state.phase ? this.state.since : this.clock.now(),
    };
    if (
      next.phase === this.state.phase &&
      next.server === this.state.server &&
      next.lastError === this.state.lastError
    ) {
      return;
    }
    this.state = next;
    this.hub.emit('connection.changed', next);
  }
}
