/**
 * What the server or the coordinator refused, in words for the connection panel.
 *
 * A permission the deployment did not grant shows up on the wire as one `-ERR` line or
 * one failed request; without this it would be a console line and a feature that
 * silently does nothing (no registration, no inbox). The link puts it in the connection
 * state's `lastError`, which the UI shows.
 */
import type { Status } from 'nats.ws';
import { ErrorCode, Events } from 'nats.ws';

/**
 * A NATS permissions violation's description, or undefined for any other status.
 *
 * nats.ws reports one as a status event whose data is the code, with the operation and
 * subject in `permissionContext`.
 */
export function permissionProblem(status: Status): string | undefined {
  if (status.type !== Events.Error || status.data !== ErrorCode.PermissionsViolation) return undefined;
  const context = (status as Status & { permissionContext?: { operation: string; subject: string } }).permissionContext;
  const what = context ? `${context.operation} to ${context.subject}` : 'an operation';
  return `the NATS server's permissions refused ${what}: this credential's user lacks a permission docs/nats.md lists`;
}

/** A local agent the coordinator would not register, and why. */
export function registrationProblem(local: string, wire: string, error: Error): string {
  const as = local === wire ? '' : ` (as ${wire})`;
  return `could not register local agent ${local}${as} with the team: ${error.name}: ${error.message}`;
}

/**
 * What the link tells the problem centre (src/core/problems), as data rather than the
 * sentence above: which agent the coordinator refused and why, that a refused agent got
 * registered after all, or a permissions violation.
 */
export type LinkProblem =
  | { kind: 'refused'; agent: string; wire: string; error: { name: string; message: string } }
  | { kind: 'registered'; agent: string }
  | { kind: 'permission'; reason: string }
  /** The team's registry is still not there after a few tries (no coordinator has run), then there. */
  | { kind: 'registry-missing'; reason: string }
  | { kind: 'registry-synced' };
