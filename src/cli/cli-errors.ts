/**
 * Errors the CLI raises itself, typed like the core's (src/shared/errors.ts) so every
 * failure prints as `<ErrorName>: message` and maps to one exit code (exit-codes.ts).
 */
import { SwitchyardError } from '../shared/errors.js';
import type { FieldIssue } from '../shared/errors.js';

/** Bad arguments: exit 2. The message names each bad field. */
export class UsageError extends SwitchyardError {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** No running Switchyard, a stale descriptor, a refused or dropped connection: exit 3. */
export class CannotReach extends SwitchyardError {
  override name = 'CannotReach';
}

/** A thing asked for by id is absent (a call answered null): exit 4. */
export class NotFound extends SwitchyardError {
  override name = 'NotFound';
}

/** A deadline of the CLI's own passed (`send --wait`): exit 5. */
export class WaitTimeout extends SwitchyardError {
  override name = 'TimeoutError';
}
