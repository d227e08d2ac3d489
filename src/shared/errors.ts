/**
 * Typed errors: one class per failure, each with a stable `name` that crosses every
 * boundary in the result envelope, so a caller can branch on it.
 */
import type { ZodError } from 'zod';

/** A field-level problem: the path of the bad value and what is wrong with it. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The base of every error Switchyard reports to a caller. */
export class SwitchyardError extends Error {
  override name = 'SwitchyardError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Input failed its schema; `issues` names each bad path. */
export class ValidationError extends SwitchyardError {
  override name = 'ValidationError';
  constructor(
    readonly what: string,
    readonly issues: FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(`invalid ${what}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`, options);
  }

  static fromZod(what: string, error: ZodError): ValidationError {
    const issues = error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    return new ValidationError(what, issues, { cause: error });
  }
}

/** A contract call or frame name nobody handles. */
export class UnknownCall extends SwitchyardError {
  override name = 'UnknownCall';
  constructor(readonly call: string) {
    super(`unknown call "${call}"`);
  }
}

/** A frame on the bridge or the gateway that is not JSON or not a known shape. */
export class BadFrame extends SwitchyardError {
  override name = 'BadFrame';
}

/** A second live instance claims a name already held in the repo. */
export class NameConflict extends SwitchyardError {
  override name = 'NameConflict';
  constructor(
    readonly repo: string,
    readonly agent: string,
  ) {
    super(`agent name "${agent}" is already held in repo "${repo}" by another live instance`);
  }
}

/** No agent by that name in the mirror. */
export class NoSuchAgent extends SwitchyardError {
  override name = 'NoSuchAgent';
  constructor(
    readonly repo: string,
    readonly agent: string,
  ) {
    super(`no agent "${agent}" in repo "${repo}"`);
  }
}

/** Selection found no agent fit to take work; `detail` says why and what to do (a role send). */
export class NoAgentAvailable extends SwitchyardError {
  override name = 'NoAgentAvailable';
  constructor(
    readonly query: unknown,
    detail?: string,
  ) {
    super(detail ?? `no available agent matches ${JSON.stringify(query)}`);
  }
}

/** A message body over the configured limit. */
export class MessageTooLarge extends SwitchyardError {
  override name = 'MessageTooLarge';
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`message body is ${size} bytes; the limit is ${limit}`);
  }
}

/** A caller's credential does not allow what it asked. */
export class NotAllowed extends SwitchyardError {
  override name = 'NotAllowed';
}

/** Something the caller asked needs the remote link, which is not there. */
export class RemoteUnavailable extends SwitchyardError {
  override name = 'RemoteUnavailable';
}

/** No local agent (supervised or connected through the gateway) by that name. */
export class AgentNotRunning extends SwitchyardError {
  override name = 'AgentNotRunning';
  constructor(readonly agent: string, detail = 'is not a local agent') {
    super(`agent "${agent}" ${detail}`);
  }
}

/** No manifest describes this agent type. */
export class UnknownAgentType extends SwitchyardError {
  override name = 'UnknownAgentType';
  constructor(readonly type: string) {
    super(`no manifest for agent type "${type}": install one or pick a listed type`);
  }
}

/** A manifest needs agent types that are not available. */
export class DependencyMissing extends SwitchyardError {
  override name = 'DependencyMissing';
  constructor(
    readonly type: string,
    readonly missing: string[],
  ) {
    super(`agent type "${type}" needs ${missing.map((m) => `"${m}"`).join(', ')} first: install or start them`);
  }
}

/** Installing would replace a user manifest and the caller did not ask to. */
export class ManifestExists extends SwitchyardError {
  override name = 'ManifestExists';
  constructor(readonly type: string) {
    super(`a manifest for "${type}" is already installed; pass replace to overwrite it`);
  }
}

/** The agent's program could not be started at all (missing command, bad cwd). */
export class AgentStartFailed extends SwitchyardError {
  override name = 'AgentStartFailed';
}

/** A sender went over its message rate on the link (docs/routing.md has the limits). */
export class RateLimited extends SwitchyardError {
  override name = 'RateLimited';
  constructor(
    readonly agent: string,
    readonly perSecond: number,
  ) {
    super(`agent "${agent}" sends faster than ${perSecond} messages/s over the link; slow down and retry`);
  }
}

/** The coordinator (or the local supervisor) could not start the requested worker. */
export class SpawnFailed extends SwitchyardError {
  override name = 'SpawnFailed';
}

/**
 * The stored API token would go to a server other than the one it was saved for.
 *
 * The token is sent only to the saved coordination URL; a test or a save naming
 * another URL must bring its own token (or clear the stored one). A ValidationError
 * with its own name: the issue points at `apiToken`, so a form marks that field.
 */
export class TokenNotForUrl extends ValidationError {
  override name = 'TokenNotForUrl';
  constructor(readonly url: string) {
    super('API token', [
      {
        path: 'apiToken',
        message: `the saved API token is only sent to the saved coordination URL; enter the token for ${url} (or clear the saved one)`,
      },
    ]);
    this.message = `the saved API token is only sent to the saved coordination URL; enter the token for ${url} (or clear the saved one)`;
  }
}

/** A caller went over one of its quotas on the coordinator (metadata size, agents per user). */
export class QuotaExceeded extends SwitchyardError {
  override name = 'QuotaExceeded';
  constructor(
    readonly quota: 'metadataBytes' | 'agentsPerUser',
    readonly limit: number,
    message: string,
  ) {
    super(`${message}: remove agents or ask the coordinator's operator to raise the quota`);
  }
}

/**
 * The remote side is there but cannot run workers (a coordinator started with
 * `--no-team`, or with no worker slots): a spawn must go elsewhere.
 *
 * A kind of RemoteUnavailable, so the desktop's fallbackToLocal applies to it.
 */
export class WorkersUnavailable extends RemoteUnavailable {
  override name = 'WorkersUnavailable';
}

/** The serialisable form of an error inside the result envelope. */
/** The folder is not a git repository the agent can work in (missing, not a folder, not a repository). */
export class WorkspaceInvalid extends SwitchyardError {
  override name = 'WorkspaceInvalid';
}

/** No task worktree on that branch in that workspace. */
export class WorktreeNotFound extends SwitchyardError {
  override name = 'WorktreeNotFound';
}

/** A git command failed for a reason the user must fix outside Switchyard (git missing, a broken repository, a lock held). */
export class GitFailed extends SwitchyardError {
  override name = 'GitFailed';
}

/** No approval with that id was asked of this person. */
export class ApprovalNotFound extends SwitchyardError {
  override name = 'ApprovalNotFound';
}

/** The approval was already answered or has expired: the agent went on without this answer. */
export class ApprovalClosed extends SwitchyardError {
  override name = 'ApprovalClosed';
}

/** A task (or a wait) ran past its timeout: the task fails with this name. */
export class TimeoutError extends SwitchyardError {
  override name = 'TimeoutError';
}

/** No task with that id in this repo. */
export class TaskNotFound extends SwitchyardError {
  override name = 'TaskNotFound';
}

/** A spawn rule or `spawn` asked for more agents of a type than its maximum allows. */
export class SpawnLimitError extends SwitchyardError {
  override name = 'SpawnLimitError';
  constructor(
    readonly type: string,
    readonly max: number,
  ) {
    super(`at most ${max} agents of type "${type}" may run: stop one or raise the rule's max`);
  }
}

/** The agent already runs as many tasks as its `maxConcurrentTasks`: send later or to a role. */
export class WorkloadFull extends SwitchyardError {
  override name = 'WorkloadFull';
}

/** The writer may not write under this blackboard key (docs/tasks.md, Write rules). */
export class ContextWriteDenied extends SwitchyardError {
  override name = 'ContextWriteDenied';
}

export interface ErrorPayload {
  name: string;
  message: string;
  issues?: FieldIssue[];
}

/** Turns anything thrown into the envelope's error, keeping typed names. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof ValidationError) {
    return { name: error.name, message: error.message, issues: error.issues };
  }
  if (error instanceof SwitchyardError) return { name: error.name, message: error.message };
  if (error instanceof Error) return { name: 'InternalError', message: error.message };
  return { name: 'InternalError', message: String(error) };
}

/** Ends an exhaustive switch: the compiler proves it unreachable. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
