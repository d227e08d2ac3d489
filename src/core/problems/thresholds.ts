/**
 * When the problem centre speaks up: how long the link may be down, and how many
 * messages may wait in the outbox, before they are problems (docs/configuration.md).
 * Read from the environment, parsed like every other boundary.
 */
import { z } from 'zod';
import { parseUnknown } from '../../shared/parse.js';

export interface ProblemThresholds {
  /** The link down (connecting, reconnecting, disconnected) for this long is a problem. */
  linkDownAfterMs: number;
  /** This many messages waiting in the outbox is a problem; it resolves at half of it. */
  outboxAlertAt: number;
}

export const DEFAULT_THRESHOLDS: ProblemThresholds = { linkDownAfterMs: 60_000, outboxAlertAt: 100 };

export const LINK_DOWN_ENV = 'SWITCHYARD_LINK_DOWN_ALERT_MS';
export const OUTBOX_ENV = 'SWITCHYARD_OUTBOX_ALERT';

const FromEnv = z.object({
  [LINK_DOWN_ENV]: z.coerce.number().int().min(1_000).max(86_400_000).optional(),
  [OUTBOX_ENV]: z.coerce.number().int().min(1).max(1_000_000).optional(),
});

/** The thresholds: the defaults, then the environment, then what the caller (a test) gives; a bad variable is a ValidationError. */
export function thresholdsOf(env: NodeJS.ProcessEnv, given: Partial<ProblemThresholds> = {}): ProblemThresholds {
  const set = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const parsed = parseUnknown(FromEnv, { [LINK_DOWN_ENV]: set(LINK_DOWN_ENV), [OUTBOX_ENV]: set(OUTBOX_ENV) }, 'environment');
  return {
    linkDownAfterMs: given.linkDownAfterMs ?? parsed[LINK_DOWN_ENV] ?? DEFAULT_THRESHOLDS.linkDownAfterMs,
    outboxAlertAt: given.outboxAlertAt ?? parsed[OUTBOX_ENV] ?? DEFAULT_THRESHOLDS.outboxAlertAt,
  };
}
