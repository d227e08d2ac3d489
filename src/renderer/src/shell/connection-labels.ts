/**
 * What the connection indicator says for each state of the core and its link.
 */
import type { ConnectionState } from '../../../shared/connection.js';
import { assertNever } from '../../../shared/errors.js';
import type { BridgeState } from '../store/slices.js';

export type Tone = 'ok' | 'pending' | 'warn' | 'error' | 'neutral';

export interface Indicator {
  label: string;
  tone: Tone;
  /** One sentence for the tooltip and the Settings panel. */
  detail: string;
}

/** The indicator for the link to the coordination service, given the core is reachable. */
export function describeConnection(state: ConnectionState): Indicator {
  const server = state.server || 'the coordination service';
  switch (state.phase) {
    case 'disabled':
      return { label: 'Local only', tone: 'neutral', detail: 'Hybrid mode is off: every agent runs on this laptop.' };
    case 'connecting':
      return { label: 'Connecting', tone: 'pending', detail: `Connecting to ${server}.` };
    case 'connected':
      return { label: 'Connected', tone: 'ok', detail: `Connected to ${server}.` };
    case 'reconnecting':
      return {
        label: 'Reconnecting',
        tone: 'warn',
        detail: `Lost ${server}; retrying. Messages for remote agents wait in the outbox.${errorSuffix(state)}`,
      };
    case 'disconnected':
      return { label: 'Disconnected', tone: 'warn', detail: `Not connected to ${server}.${errorSuffix(state)}` };
    case 'auth-failed':
      return {
        label: 'Auth failed',
        tone: 'error',
        detail: `${server} refused the API token${state.lastError ? `: ${state.lastError}` : ''}. Set a valid token in Settings.`,
      };
    default:
      return assertNever(state.phase);
  }
}

/** The indicator overall: the core's own reachability comes first. */
export function describeIndicator(bridge: BridgeState, connection: ConnectionState | null): Indicator {
  if (bridge.status === 'ready') {
    return connection
      ? describeConnection(connection)
      : { label: 'Starting', tone: 'pending', detail: 'Waiting for the connection state.' };
  }
  switch (bridge.status) {
    case 'starting':
    case 'connecting':
      return { label: 'Reaching core', tone: 'pending', detail: 'Connecting to the Switchyard core.' };
    case 'missing-token':
      return { label: 'No token', tone: 'error', detail: 'Open the URL the headless host printed, with its ?token=.' };
    case 'down':
      return { label: 'Core unreachable', tone: 'error', detail: `${bridge.reason}. Retrying.` };
    default:
      return assertNever(bridge);
  }
}

function errorSuffix(state: ConnectionState): string {
  return state.lastError ? ` Last error: ${state.lastError}` : '';
}
