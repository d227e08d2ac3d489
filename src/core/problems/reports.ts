/**
 * Every problem the desktop says aloud, as words: the title, the reason and, above all,
 * what the person can do about it. One builder per condition, so the id (what repeats
 * fold into) and the advice live in one place and are tested as text.
 */
import type { ProblemReport } from './problem-center.js';

const NO_WORKERS = 'The team has no worker to run this right now. Try again later, or turn on “Fall back to a local agent” in Settings.';

/** What to do about each refusal the coordinator gives, by the error's name. */
const REFUSAL_ADVICE: Record<string, string> = {
  NotAllowed:
    'The team’s rules do not let your token register this agent. Check the agent’s name and the repository in Settings, or ask a team admin for access. The agent keeps working on this desktop; the team cannot reach it.',
  NameConflict:
    'Another agent of the team already holds this name. Stop and start the agent under another name, or stop the other one first.',
  QuotaExceeded:
    'You have reached your share of the team’s agents (or of its metadata). Stop an agent you no longer need, or ask a team admin to raise your quota in the coordinator’s config.',
  ValidationError:
    'The coordinator could not read the request: this desktop and the coordinator may run different versions of Switchyard. Update the older one.',
  WorkersUnavailable: NO_WORKERS,
  RateLimited: 'Too many requests in a short time. Wait a moment and try again.',
};

/** What to do when a spawn failed on this side (the team was not reached, or nothing here can run it). */
const LOCAL_SPAWN_ADVICE: Record<string, string> = {
  RemoteUnavailable: 'The team cannot be reached. Check the connection in Settings, or turn on “Fall back to a local agent” to run it on this desktop meanwhile.',
  WorkersUnavailable: NO_WORKERS,
  UnknownAgentType: 'No manifest for this agent type is installed on this desktop. Install one, or list the type as remote in Settings so the team runs it.',
  AgentStartFailed: 'The worker’s process would not start. Open its Logs in the Agents view to see why.',
};

const REFUSAL_DEFAULT = 'The coordinator refused the request. Its reason above says why; a team admin can see more in the coordinator’s log.';

/** The advice for a coordinator refusal named `name` (NotAllowed, NameConflict, QuotaExceeded, ...). */
export function refusalAdvice(name: string): string {
  return REFUSAL_ADVICE[name] ?? REFUSAL_DEFAULT;
}

/** The coordinator would not register a local agent with the team. */
export function registrationRefused(repo: string, agent: string, wire: string, error: { name: string; message: string }): ProblemReport {
  const as = agent === wire ? '' : ` (as ${wire})`;
  return {
    id: registrationProblemId(repo, agent),
    severity: 'error',
    source: 'coordinator',
    title: `The team refused to register ${agent}${as}: ${error.name}`,
    reason: error.message,
    advice: refusalAdvice(error.name),
  };
}

export const registrationProblemId = (repo: string, agent: string): string => `coordinator.register:${repo}/${agent}`;

/** The coordinator refused a spawn an agent asked for. */
export function spawnRefused(repo: string, by: string, type: string, error: { name: string; message: string }): ProblemReport {
  return {
    id: `coordinator.spawn:${repo}/${by}/${type}`,
    severity: 'error',
    source: 'coordinator',
    title: `The team refused to spawn a ${type} for ${by}: ${error.name}`,
    reason: error.message,
    advice: refusalAdvice(error.name),
  };
}

/** A spawn an agent asked for failed on this side: the team was out of reach, or nothing here could run it. */
export function spawnFailed(repo: string, by: string, type: string, error: { name: string; message: string }): ProblemReport {
  return {
    id: `router.spawn:${repo}/${by}/${type}`,
    severity: 'error',
    source: 'router',
    title: `${by} could not spawn a ${type}: ${error.name}`,
    reason: error.message,
    advice: LOCAL_SPAWN_ADVICE[error.name] ?? 'The agent that asked was told too; the reason above says what failed.',
  };
}

/** A local agent kept crashing and the supervisor gave up restarting it. */
export function crashLoop(repo: string, agent: string, detail: string | undefined): ProblemReport {
  return {
    id: crashLoopId(repo, agent),
    severity: 'error',
    source: 'agent',
    title: `${agent} keeps crashing and was not restarted`,
    reason: detail ?? 'it exited too often in a short time',
    advice: `Open ${agent}’s Logs in the Agents view to see why it exits, fix its command or manifest, then start it again.`,
  };
}

export const crashLoopId = (repo: string, agent: string): string => `agent.crash-loop:${repo}/${agent}`;

export const LINK_AUTH_ID = 'link.auth-failed';
export const LINK_DOWN_ID = 'link.down';
export const LINK_PERMISSION_ID = 'link.permission';
export const OUTBOX_ID = 'outbox.growing';
export const LINK_REGISTRY_ID = 'link.registry-missing';

/** Connected, but the team's registry is not there: no coordinator has run for this repo. */
export function registryMissing(repo: string, reason: string): ProblemReport {
  return {
    id: LINK_REGISTRY_ID,
    severity: 'warning',
    source: 'link',
    title: 'The team’s registry is not there',
    reason,
    advice: `The team’s coordinator creates it when it starts. Check that it is running and serves the repository “${repo}” (Settings). Until then team agents do not show and cannot be reached; your local agents work as before.`,
  };
}

/** The server refused the credential; the link waits for a new one. */
export function authFailed(server: string, reason: string): ProblemReport {
  return {
    id: LINK_AUTH_ID,
    severity: 'error',
    source: 'link',
    title: `The coordination server ${server} refused the API token`,
    reason,
    advice: 'Check the API token in Settings: it must be the one your team’s admin gave you for this server. Saving the settings makes the link try again.',
  };
}

/** The link has been down for longer than the threshold. */
export function linkDown(server: string, downMs: number, lastError: string | null): ProblemReport {
  return {
    id: LINK_DOWN_ID,
    severity: 'error',
    source: 'link',
    title: `No link to the team for ${duration(downMs)}`,
    reason: lastError ?? `cannot reach ${server}`,
    advice: `Check your network and that the coordination server at ${server} is running. Messages to team agents wait in the outbox and leave when the link is back; it keeps retrying on its own.`,
  };
}

/** The NATS server's permissions refused an operation while the link is up. */
export function permissionRefused(reason: string): ProblemReport {
  return {
    id: LINK_PERMISSION_ID,
    severity: 'error',
    source: 'link',
    title: 'The NATS server refused an operation of this desktop',
    reason,
    advice: 'Your NATS user lacks a permission the team’s setup needs (docs/nats.md lists them). Ask the team’s admin to grant it.',
  };
}

/** Messages wait to leave: the outbox passed its threshold. */
export function outboxGrowing(size: number, threshold: number, biggest: { to: string; count: number } | undefined): ProblemReport {
  const where = biggest ? `; the most (${biggest.count}) are for ${biggest.to}` : '';
  return {
    id: OUTBOX_ID,
    severity: 'warning',
    source: 'outbox',
    title: `${size} messages wait to leave`,
    reason: `the outbox holds ${size} messages (the alert is at ${threshold})${where}`,
    advice: 'They leave on their own once their destinations are reachable again. Check the link to the team and that the destination agents run; stop an agent that keeps sending to one that is gone.',
  };
}

/** The router could not do something it was asked to (an inbox consumer failed, a task went nowhere). */
export function routerTrouble(what: string, reason: string): ProblemReport {
  return {
    id: `router.${what}`,
    severity: 'warning',
    source: 'router',
    title: ROUTER_TITLES[what] ?? `Routing trouble: ${what}`,
    reason,
    advice: ROUTER_ADVICE[what] ?? 'Look at the Traces view for the messages involved; if it repeats, restart Switchyard.',
  };
}

const ROUTER_TITLES: Record<string, string> = {
  error: 'Messages could not be routed',
  'worker-task': 'A spawned worker did not get its task',
  traces: 'A trace could not be recorded',
};

const ROUTER_ADVICE: Record<string, string> = {
  error: 'Look at the Traces view for messages that stayed queued or failed. If the link to the team is up and this repeats, restart Switchyard.',
  'worker-task': 'The worker started but its first message could not be routed. Send the task again from the Agents view, or stop the worker.',
  traces: 'Messages still go; the Traces view misses some of them. Check the free space of the disk that holds the data folder; if it repeats, restart Switchyard.',
};

/** `65000` → `1 min 5 s`, for titles. */
export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes < 60) return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}
