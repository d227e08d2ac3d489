/**
 * The CLI's exit codes (docs/cli.md, Exit codes), so scripts can tell a typo from a
 * missing agent from a Switchyard that is not running.
 */

export const ExitCode = {
  ok: 0,
  /** The core refused the call; stderr says `<ErrorName>: message`. */
  error: 1,
  /** Bad arguments or options, or an input the contract's schema refuses. */
  usage: 2,
  /** No running Switchyard found, or the connection failed or dropped. */
  unreachable: 3,
  /** The agent, trace, task, approval, manifest type or worktree does not exist. */
  notFound: 4,
  /** A deadline passed (`send --wait`, a core TimeoutError). */
  timeout: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Core error names that mean "no such thing" (plus any name ending in `NotFound`). */
const NOT_FOUND = new Set(['NoSuchAgent', 'UnknownAgentType', 'AgentNotFound']);
/** Core error names that mean "your input was wrong". */
const USAGE = new Set(['ValidationError', 'UnknownCall', 'BadFrame', 'TokenNotForUrl']);
/** The bridge client's name for a socket that closed under a call. */
const UNREACHABLE = new Set(['Disconnected', 'CannotReach']);

/** The exit code for a typed error's name. */
export function exitCodeFor(errorName: string): ExitCode {
  if (errorName === 'UsageError' || USAGE.has(errorName)) return ExitCode.usage;
  if (UNREACHABLE.has(errorName)) return ExitCode.unreachable;
  if (NOT_FOUND.has(errorName) || errorName.endsWith('NotFound')) return ExitCode.notFound;
  if (errorName === 'TimeoutError') return ExitCode.timeout;
  return ExitCode.error;
}
