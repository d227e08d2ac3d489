/**
 * Who may write which blackboard key (docs/blackboard.md, Write rules), pure so the
 * coordinator (the team's bucket) and the core (the local board) apply the same rules.
 *
 * The writer is always established by the caller of these functions — from a token's
 * identity on the coordinator, from the supervisor's knowledge of its own agents on a
 * desktop — never read from a request.
 */
import { ContextWriteDenied } from '../../shared/errors.js';

/** Who writes: an agent (acting for its owner) or a person. */
export interface ContextWriter {
  kind: 'agent' | 'person';
  /** What the entry records as its writer: the agent's name, `<user>.user` for a person. */
  name: string;
  /** The user the writer acts for: the agent's owner, the person themself. */
  user: string;
  /** A repo-owned (team) agent, or a person holding an admin token. */
  team: boolean;
}

/** The parties of a task, who may write under `task/<id>/`. */
export interface TaskParties {
  requestedBy: string;
  assignedTo: string | null;
}

/**
 * What the rules look up.
 *
 * `task` is the task store's answer (undefined: no such task). Without a task store
 * (`task` absent) the `task/` prefix is open to anyone in the repo, like `shared/`,
 * until the tasks engineer's store fills it in.
 */
export interface WriteRuleLookups {
  /** The owner of a named agent of the repo, if the registry knows it. */
  ownerOf(agent: string): string | undefined;
  task?: (id: string) => TaskParties | undefined;
}

/** The recorded writer name of a person. */
export const personWriter = (user: string) => `${user}.user`;

/** Throws ContextWriteDenied unless `writer` may write (or delete) `key`. */
export function assertMayWrite(writer: ContextWriter, key: string, lookups: WriteRuleLookups): void {
  const [prefix = '', owner] = key.split('/');
  const rule = Object.hasOwn(RULES, prefix) ? RULES[prefix] : undefined;
  const why = rule ? rule(writer, owner, lookups) : 'keys start with repo/, user/<user>/, agent/<name>/, task/<id>/ or shared/';
  if (why !== undefined) throw new ContextWriteDenied(`${writer.name} may not write "${key}": ${why}`);
}

/** Per prefix: why the writer may not write under it, or undefined when it may. */
type Rule = (writer: ContextWriter, owner: string | undefined, lookups: WriteRuleLookups) => string | undefined;

const RULES: Record<string, Rule> = {
  shared: () => undefined,
  repo: (writer) => (writer.team ? undefined : '"repo/" keys are written by the repo\'s team agents and admins'),
  user: (writer, owner) => (owner !== undefined && owner === writer.user ? undefined : `"user/${owner ?? ''}/" belongs to user "${owner ?? ''}"`),
  agent: (writer, owner, lookups) =>
    owner !== undefined && actsFor(writer, owner, lookups) ? undefined : `"agent/${owner ?? ''}/" belongs to that agent and its owner`,
  task: (writer, id, lookups) => {
    if (id === undefined) return 'a task key is "task/<id>/…"';
    if (!lookups.task) return undefined;
    const parties = lookups.task(id);
    if (!parties) return `there is no task "${id}"`;
    const party = [parties.requestedBy, parties.assignedTo].some((name) => name !== null && actsFor(writer, name, lookups));
    return party ? undefined : `"task/${id}/" is written by the task's requester and assignee`;
  },
};

/** The agent itself, or a person who owns it. */
function actsFor(writer: ContextWriter, agent: string, lookups: WriteRuleLookups): boolean {
  if (writer.kind === 'agent') return writer.name === agent;
  if (writer.name === agent) return true;
  return lookups.ownerOf(agent) === writer.user;
}
