import { describe, expect, it } from 'vitest';
import type { ConnectionPhase } from '../../../src/shared/connection.js';
import { describeConnection, describeIndicator } from '../../../src/renderer/src/shell/connection-labels.js';

const state = (phase: ConnectionPhase, lastError: string | null = null) => ({ phase, server: 'wss://nats.example:443', lastError, since: 1 });

describe('describeConnection', () => {
  it.each([
    ['disabled', 'Local only', 'neutral'],
    ['connecting', 'Connecting', 'pending'],
    ['connected', 'Connected', 'ok'],
    ['reconnecting', 'Reconnecting', 'warn'],
    ['disconnected', 'Disconnected', 'warn'],
    ['auth-failed', 'Auth failed', 'error'],
  ] as const)('%s → %s (%s)', (phase, label, tone) => {
    const indicator = describeConnection(state(phase));
    expect(indicator.label).toBe(label);
    expect(indicator.tone).toBe(tone);
  });

  it('gives the reason of an auth failure', () => {
    expect(describeConnection(state('auth-failed', 'AUTHORIZATION_VIOLATION')).detail).toContain('AUTHORIZATION_VIOLATION');
  });

  it('names the server', () => {
    expect(describeConnection(state('connected')).detail).toContain('wss://nats.example:443');
  });
});

describe('describeIndicator', () => {
  it('puts an unreachable core before the link state', () => {
    const indicator = describeIndicator(
      { status: 'down', everConnected: true, attempt: 1, retryAt: 0, reason: 'the connection closed' },
      state('connected'),
    );
    expect(indicator.label).toBe('Core unreachable');
    expect(indicator.tone).toBe('error');
  });

  it('shows the link state once the core is ready', () => {
    expect(describeIndicator({ status: 'ready', transport: 'bridge' }, state('disabled')).label).toBe('Local only');
  });
});
