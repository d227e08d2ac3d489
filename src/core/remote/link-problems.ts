/**
 * What the server or the coordinator refused, in words for the connection panel.
 *
 * A permission the deployment did not grant shows up on the wire as one `-ERR` line or
 * one failed request; without this it would be a console line and a feature that
 * silently does nothing (no registration, no inbox). The link puts it in the connection
 * state's `lastError`, which the UI shows.
 */
import { NatsError } from 'nats.ws';

/** A NATS permissions violation's description, or undefined for any other error. */
export function permissionProblem(error: unknown): string | undefined {
  if (!(error instanceof NatsError) || error.code !== 'PERMISSIONS_VIOLATION') return undefined;
  const match = /Permissions Violation for (Publish|Subscription) to "([^"]+)"/i.exec(error.message);
  const what = match ? `${match[1]!.toLowerCase()} to ${match[2]}` : error.message;
  return `the NATS server's permissions refused ${what}: this credential's user lacks a permission docs/nats.md lists`;
}

/** A local agent the coordinator would not register, and why. */
export function registrationProblem(local: string, wire: string, error: Error): string {
  const as = local === wire ? '' : ` (as ${wire})`;
  return `could not register local agent ${local}${as} with the team: ${error.name}: ${error.message}`;
}
